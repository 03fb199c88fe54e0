using Streaming.Imaging.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// The hand-made feature baseline of issue 14: per voxel, 7 channels at full resolution (stride 1): the input intensity
/// as the model sees it, that intensity smoothed by Gaussians of σ = 1, 2 and 4 voxels, and the voxel's coordinates
/// z, y, x, each normalised to [-1, 1] over the whole volume (a 1-voxel axis gives 0). Nothing is learned: it has no
/// parameters, so fine-tuning has nothing to train. Coordinates only mean "where in the scan" relative to the whole
/// volume, so it is a <see cref="FeatureExtractor.WholeVolume"/> extractor: evaluation hands it the whole, unpadded
/// volume in one forward, never a sliding window (whose coordinates would restart in every window).
/// </summary>
public sealed class HandmadeFeatures : FeatureExtractor
{
    /// <summary>Smoothing scales in voxels: fine, organ-wall and organ scale context at typical 1.5-3 mm spacings.</summary>
    public static IReadOnlyList<double> SmoothingSigmas { get; } = [1.0, 2.0, 4.0];

    /// <summary>Intensity, one per smoothing scale, z, y, x.</summary>
    public const int Channels = 7;

    public HandmadeFeatures(string name = "HandmadeFeatures") : base(name, 1, [new FeatureLevel(Channels, new Int3(1, 1, 1))]) =>
        RegisterComponents();

    public override bool WholeVolume => true;

    /// <summary>(N, 1, D, H, W) → one level (N, 7, D, H, W): intensity, smoothed σ = 1, 2, 4, then z, y, x in [-1, 1].</summary>
    public override Tensor[] forward(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        long n = x.shape[0], d = x.shape[2], h = x.shape[3], w = x.shape[4];
        var channels = new List<Tensor> { x };
        channels.AddRange(SmoothingSigmas.Select(s => GaussianSmoothing.Apply(x, s)));
        channels.Add(Axis(d, x).view(1, 1, d, 1, 1).expand(n, 1, d, h, w));
        channels.Add(Axis(h, x).view(1, 1, 1, h, 1).expand(n, 1, d, h, w));
        channels.Add(Axis(w, x).view(1, 1, 1, 1, w).expand(n, 1, d, h, w));
        return [cat(channels, 1).MoveToOuterDisposeScope()];
    }

    /// <summary>Positions 0..n-1 mapped linearly onto [-1, 1] (0 for a single position, the axis' centre).</summary>
    private static Tensor Axis(long n, Tensor like) =>
        n == 1 ? zeros(1, dtype: like.dtype, device: like.device) : linspace(-1, 1, n, dtype: like.dtype, device: like.device);
}
