using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// Separable Gaussian smoothing of (N, 1, D, H, W) volumes, σ in voxels, truncated at 3σ, with replicate padding (so
/// a constant volume stays that constant up to its borders). Shared by the hand-crafted baselines (GVDIFF, hand-made features).
/// </summary>
public static class GaussianSmoothing
{
    public static Tensor Apply(Tensor volume, double sigmaVoxels)
    {
        if (!(sigmaVoxels >= 0)) throw new ArgumentException("smoothing σ must be >= 0");
        if (sigmaVoxels == 0) return volume.alias();
        using var scope = NewDisposeScope();
        var r = (int)Math.Ceiling(3 * sigmaVoxels);
        var k = tensor(Streaming.Sampling.Augment.GaussianKernel.Create(sigmaVoxels, r), device: volume.device);
        var x = volume;
        foreach (var (shape, pad) in new (long[] Shape, long[] Pad)[]
                 { ([1, 1, 1, 1, 2 * r + 1], [r, r, 0, 0, 0, 0]), ([1, 1, 1, 2 * r + 1, 1], [0, 0, r, r, 0, 0]), ([1, 1, 2 * r + 1, 1, 1], [0, 0, 0, 0, r, r]) })
            x = nn.functional.conv3d(nn.functional.pad(x, pad, PaddingModes.Replicate), k.view(shape));
        return x.MoveToOuterDisposeScope();
    }
}
