using Streaming.Sampling.Context;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// Batched trilinear sampling of <see cref="SampleGrid"/>-shaped patches around many centres with grid_sample
/// (align_corners = true: -1 and 1 are the centres of the first and last voxel; padding_mode = border), i.e. exactly
/// what <see cref="TrilinearSampler"/> computes in the sampling workers, so descriptors see at extraction time the
/// patches they were trained on.
/// </summary>
public static class GridSampling
{
    /// <summary>
    /// (B, Slow, Mid, Fast) samples of the grid <paramref name="shape"/> (its centre ignored) placed at each of
    /// <paramref name="centers"/> (B, 3) normalised (x, y, z), from <paramref name="volume"/> (1, 1, Z, Y, X).
    /// </summary>
    public static Tensor Patches(Tensor volume, Tensor centers, SampleGrid shape)
    {
        using var scope = NewDisposeScope();
        long b = centers.shape[0];
        var axes = shape.Axes;
        // Offsets (Slow, Mid, Fast, 3) in (x, y, z) order.
        var offsets = zeros([axes[0].Count, axes[1].Count, axes[2].Count, 3], device: centers.device);
        for (var g = 0; g < 3; g++)
        {
            var ax = axes[g];
            var values = Enumerable.Range(0, ax.Count).Select(k => (float)ax.Offset(k)).ToArray();
            long[] view = [1, 1, 1];
            view[g] = ax.Count;
            using var v = tensor(values, device: centers.device).view(view);
            offsets[.., .., .., ax.Axis].add_(v, Scalars.One);
        }
        var grid = centers.view(b, 1, 1, 1, 3).add(offsets.unsqueeze(0), Scalars.One);   // (B, S, M, F, 3)
        var flat = grid.reshape(1, b * axes[0].Count, axes[1].Count, axes[2].Count, 3);
        var sampled = nn.functional.grid_sample(volume, flat, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: true);
        return sampled.reshape(b, axes[0].Count, axes[1].Count, axes[2].Count).MoveToOuterDisposeScope();
    }

    /// <summary>Values at <paramref name="points"/> (B, K, 3) normalised (x, y, z): (B, K).</summary>
    public static Tensor Points(Tensor volume, Tensor points)
    {
        using var scope = NewDisposeScope();
        long b = points.shape[0], k = points.shape[1];
        var sampled = nn.functional.grid_sample(volume, points.reshape(1, 1, b, k, 3), GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: true);
        return sampled.reshape(b, k).MoveToOuterDisposeScope();
    }
}
