using Streaming.Training.Logging;
using Streaming.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods.Sal;

/// <summary>What the SAL losses need to know about each sample (one augmented view of one slice).</summary>
/// <param name="Volume">Which volume of the step it comes from.</param>
/// <param name="Index">Slice index in that volume.</param>
/// <param name="Count">The volume's slice count N.</param>
public readonly record struct SliceSample(int Volume, int Index, int Count)
{
    public double RelativePosition => (double)Index / Count;
}

/// <summary>
/// SAL's objective on one step's views: total = GP + lambda x WLA (Eq. 3), with GP over every view and WLA over the
/// ordered same-volume pairs closer than theta. The parts returned for logging are the two losses and the spread of
/// the local and global embeddings (collapse monitor). With lambda = 0 (PCL) WLA is still computed, without a
/// gradient, so both arms log the same numbers.
/// </summary>
public static class SalObjective
{
    public static StepLoss Compute(SalModel model, SalOptions o, Tensor views, IReadOnlyList<SliceSample> samples)
    {
        if (views.dim() != 4 || views.shape[0] != samples.Count)
            throw new ArgumentException($"SAL: {samples.Count} samples for views of shape [{string.Join(", ", views.shape)}]");
        var (local, global) = model.Embed(views);
        var pairs = LocalAlignmentPairs.Select(samples.Select(s => s.Volume).ToArray(), samples.Select(s => s.Index).ToArray(),
            samples.Select(s => s.Count).ToArray(), o.Theta);
        using var pairTensor = tensor(pairs, [pairs.Length / 2, 2]).to(views.device);
        var gp = GlobalPositional.Loss(global, samples.Select(s => s.RelativePosition).ToArray(), o.Theta, o.Temperature);
        Tensor wla, total;
        if (o.Lambda > 0)
        {
            wla = WindowLocalAlignment.Loss(local, pairTensor, o.WindowH, o.WindowW);
            // Explicit, kept-alive scalar (Models.Scalars): total = GP + lambda x WLA.
            using var lambda = o.Lambda.ToScalar();
            total = gp.add(wla, lambda);
        }
        else
        {
            using (no_grad()) wla = WindowLocalAlignment.Loss(local.detach(), pairTensor, o.WindowH, o.WindowW);
            total = gp.alias();
        }
        var localSpread = EmbeddingSpread.Measure(local, o.CollapseThreshold);
        var globalSpread = EmbeddingSpread.Measure(global, o.CollapseThreshold);
        return new StepLoss(total, new Dictionary<string, Tensor>
        {
            ["gp"] = gp,
            ["wla"] = wla,
            ["local_spread"] = tensor((float)localSpread.Value),
            ["global_spread"] = tensor((float)globalSpread.Value),
            ["local_pairs"] = tensor((float)(pairs.Length / 2)),
        });
    }
}
