using Streaming.Sampling.Random;
using Streaming.Training.Losses;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods;

/// <summary>
/// The training objective of voxel-level SimSiam and its baselines for one batch (Eq. 8):
/// soft Dice + λ Σ_levels (w_f = 1) auxiliary(level), where each of the deepest |F| analysis levels contributes the
/// class-conditional SimSiam loss (or, for SCL, supervised InfoNCE) on at most 1,700 of its voxels, misclassified ones
/// first (<see cref="HardVoxelSampler"/>). Level labels and predictions are block majorities (<see cref="LevelLabels"/>).
/// Voxel choice is a pure function of <paramref name="key"/>, so a resumed run draws the same voxels.
/// </summary>
public static class VoxelSimSiamObjective
{
    /// <param name="x">(N, C, D, H, W) input</param>
    /// <param name="y">(N, D, H, W) int64 labels</param>
    public static StepLoss Compute(VoxelSiameseModel model, VoxelSimSiamOptions o, Tensor x, Tensor y, RandomKey key)
    {
        var levels = o.ActiveLevels;
        var classes = o.UNet.Classes;
        var logits = model.UNet.ForwardWithLevels(x, levels, out var features);
        var dice = SoftDiceLoss.Loss(logits, y);
        var parts = new Dictionary<string, Tensor> { ["dice"] = dice };
        if (levels == 0) return new StepLoss(dice, parts);

        Tensor predicted;
        using (no_grad()) predicted = logits.argmax(1);
        var strides = model.UNet.LevelStrides(levels);
        Tensor? aux = null;
        for (var i = 0; i < levels; i++)
        {
            var term = LevelTerm(model.Head(i), o, features[i], y, predicted, strides[i], classes, key.With(i));
            if (term is null) continue;
            parts[$"{Name(o.Auxiliary)}{i + 1}"] = term;
            aux = aux is null ? term : aux.add(term, Scalars.One);
        }
        if (aux is null) return new StepLoss(dice, parts);
        parts[Name(o.Auxiliary)] = aux;
        using var lambda = o.EffectiveLambda.ToScalar();
        return new StepLoss(dice.add(aux, lambda), parts);
    }

    /// <summary>Part names in metrics: "simsiam" / "scl", and per level "simsiam1" (deepest) ... </summary>
    public static string Name(AuxiliaryLoss a) => a == AuxiliaryLoss.Scl ? "scl" : "simsiam";

    private static Tensor? LevelTerm(VoxelFeatureLayer head, VoxelSimSiamOptions o, Tensor feature, Tensor y, Tensor predicted, int stride,
        int classes, RandomKey key)
    {
        long[] picked, negatives = [];
        Tensor levelLabels;
        using (no_grad())
        {
            levelLabels = LevelLabels.Majority(y, classes, stride).flatten();
            using var levelPredicted = LevelLabels.Majority(predicted, classes, stride).flatten();
            var reference = Bytes(levelLabels);
            var rng = key.Stream();
            picked = HardVoxelSampler.Sample(reference, Bytes(levelPredicted), o.MaxVoxelsPerLevel, o.MaxHardVoxelsPerLevel, ref rng);
            if (o.Auxiliary == AuxiliaryLoss.Scl) negatives = Uniform(reference.Length, o.SclNegatives, key.With(1).Stream());
        }
        if (picked.Length < 2) return null; // BatchNorm in the heads needs two voxels
        var channels = feature.shape[1];
        using var flat = feature.permute(0, 2, 3, 4, 1).reshape(-1, channels);
        using var index = tensor(picked.Concat(negatives).ToArray(), device: feature.device);
        using var f = flat.index_select(0, index);
        using var labels = levelLabels.index_select(0, index);
        levelLabels.Dispose();
        var (p, z) = head.Forward(f);
        if (o.Auxiliary == AuxiliaryLoss.Scl) return SupervisedInfoNce.Loss(z, labels, picked.Length, o.SclTemperature);
        return ClassConditionalSimSiamLoss.Loss(p!, z, labels, classes, o.Aggregation, o.ClassWeights);
    }

    private static byte[] Bytes(Tensor labels)
    {
        using var b = labels.to(ScalarType.Byte, CPU).contiguous();
        return b.data<byte>().ToArray();
    }

    /// <summary>k distinct indices in [0, n) (all of them when k >= n), uniformly at random.</summary>
    private static long[] Uniform(int n, int k, KeyedRandom rng)
    {
        if (k >= n) return Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        var chosen = new HashSet<long>();
        var result = new long[k];
        for (var i = 0; i < k; i++)
        {
            long v;
            do v = rng.NextInt(n); while (!chosen.Add(v));
            result[i] = v;
        }
        return result;
    }
}
