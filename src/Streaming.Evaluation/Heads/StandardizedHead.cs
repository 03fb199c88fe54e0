using Streaming.Evaluation.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Heads;

/// <summary>
/// A head preceded by a fixed per-channel standardisation of every pyramid level, (x - mean) / std, with statistics
/// from the training volumes only. A fixed affine map folds into the next linear layer, so a standardised linear
/// probe is still a linear classifier on the raw features; it only makes optimisation converge at one learning rate
/// whatever the backbone's feature scale (a random init's features can be orders of magnitude off).
/// </summary>
public sealed class StandardizedHead : SegmentationHead
{
    private readonly SegmentationHead inner;
    private readonly Tensor[] mean;
    private readonly Tensor[] std;

    public StandardizedHead(SegmentationHead inner, Tensor[] mean, Tensor[] std) : base("StandardizedHead", inner.Classes)
    {
        if (mean.Length != std.Length) throw new ArgumentException("mean and std need one entry per level");
        this.inner = inner; this.mean = mean; this.std = std;
        register_module("inner", inner);
        for (var l = 0; l < mean.Length; l++)
        {
            register_buffer($"mean{l}", mean[l]);
            register_buffer($"std{l}", std[l]);
        }
    }

    public SegmentationHead Inner => inner;

    /// <summary>Per-channel mean and std (floored at 1e-6) of each level over the given pyramids' voxels.</summary>
    /// <remarks>One pass, one pyramid at a time (a store may load each and dispose it after): running sums in float64.</remarks>
    public static (Tensor[] Mean, Tensor[] Std) Statistics(IEnumerable<FeaturePyramid> pyramids)
    {
        ArgumentNullException.ThrowIfNull(pyramids);
        Tensor[]? sum = null, sq = null;
        long[]? n = null;
        try
        {
            foreach (var p in pyramids)
            {
                if (sum is null)
                {
                    sum = p.Levels.Select(t => zeros([t.shape[0]], ScalarType.Float64)).ToArray();
                    sq = p.Levels.Select(t => zeros([t.shape[0]], ScalarType.Float64)).ToArray();
                    n = new long[p.Levels.Length];
                }
                for (var l = 0; l < sum.Length; l++)
                {
                    using var scope = NewDisposeScope();
                    var c = p.Levels[l].shape[0];
                    var x = p.Levels[l].reshape(c, -1).to(ScalarType.Float64);
                    sum[l].add_(x.sum([1L])); sq![l].add_(x.pow(2).sum([1L]));
                    n![l] += x.shape[1];
                }
            }
            if (sum is null) throw new ArgumentException("no pyramids to standardise from");
            var mean = new Tensor[sum.Length]; var std = new Tensor[sum.Length];
            for (var l = 0; l < sum.Length; l++)
            {
                using var scope = NewDisposeScope();
                var c = sum[l].shape[0];
                var m = sum[l] / n![l];
                var s = (sq![l] / n[l] - m.pow(2)).clamp_min(0).sqrt().clamp_min(1e-6);
                mean[l] = m.to(ScalarType.Float32).reshape(1, c, 1, 1, 1).MoveToOuterDisposeScope();
                std[l] = s.to(ScalarType.Float32).reshape(1, c, 1, 1, 1).MoveToOuterDisposeScope();
            }
            return (mean, std);
        }
        finally
        {
            foreach (var t in sum ?? []) t.Dispose();
            foreach (var t in sq ?? []) t.Dispose();
        }
    }

    public override Tensor forward(Tensor[] levels)
    {
        using var scope = NewDisposeScope();
        var z = levels.Select((x, l) => (x - mean[l].to(x.device)) / std[l].to(x.device)).ToArray();
        return inner.forward(z).MoveToOuterDisposeScope();
    }
}
