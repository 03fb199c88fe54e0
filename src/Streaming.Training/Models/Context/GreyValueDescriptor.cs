using Streaming.Sampling.Context;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// GVDIFF, the hand-crafted baseline: 192 grey-value differences I(x + p_i) - I(x + q_i) with a fixed random 3-D
/// pattern of point pairs, every coordinate ~ N(0, σ²), σ = 0.4 in normalised units (the CNNs' receptive field),
/// as BRIEF's tests but real-valued. The image is first smoothed with a Gaussian of <see cref="SmoothingVoxels"/>
/// (BRIEF smooths before its tests; the paper names no value, 1 voxel here). The pattern is drawn from torch's
/// generator at construction and kept as the buffer <c>pattern</c> (192, 2, 3), so an exported copy is the same feature.
/// </summary>
public sealed class GreyValueDescriptor : GridDescriptor
{
    public const double Sigma = 0.4;
    private readonly Tensor pattern;

    public GreyValueDescriptor(int channels = 192, double smoothingVoxels = 1.0, int stride = DefaultStride, int batchSize = 4096, string name = "GreyValueDescriptor")
        : base(name, channels, new ContextSamplingOptions(), stride, batchSize)
    {
        if (!(smoothingVoxels >= 0)) throw new ArgumentException("smoothing must be >= 0");
        SmoothingVoxels = smoothingVoxels;
        using var sigma = Sigma.ToScalar();
        pattern = randn([channels, 2, 3]).mul_(sigma);
        register_buffer("pattern", pattern);
    }

    public double SmoothingVoxels { get; }

    public override Tensor[] forward(Tensor volume)
    {
        using var smooth = GaussianSmoothing.Apply(volume, SmoothingVoxels);
        return base.forward(smooth);
    }

    public override Tensor Describe(Tensor volume, Tensor centers)
    {
        using var scope = NewDisposeScope();
        long b = centers.shape[0], c = pattern.shape[0];
        var pts = centers.view(b, 1, 1, 3).add(pattern.to(centers.device).unsqueeze(0), Scalars.One).reshape(b, 2 * c, 3);
        var v = GridSampling.Points(volume, pts).view(b, c, 2);
        return v.select(2, 0).add(v.select(2, 1), Scalars.MinusOne).MoveToOuterDisposeScope();
    }
}
