using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>Reads per-voxel representations out of a feature pyramid.</summary>
public static class VoxelGather
{
    /// <summary>
    /// For positions (N, M, 3) as (z, y, x) voxel indices into the patch, returns (N*M, sum C_l): level l's features
    /// at (z, y, x) / 2^l (floor, clamped to the level's extent), concatenated over levels, finest first.
    /// </summary>
    public static Tensor Gather(Tensor[] pyramid, Tensor positions)
    {
        if (positions.dim() != 3 || positions.shape[2] != 3) throw new ArgumentException("positions must be (N, M, 3)");
        long n = positions.shape[0], m = positions.shape[1];
        var parts = new Tensor[pyramid.Length];
        for (int l = 0; l < pyramid.Length; l++)
        {
            var f = pyramid[l];
            long c = f.shape[1], d = f.shape[2], h = f.shape[3], w = f.shape[4];
            // Scalars held in `using` variables stay alive through the native calls (see Scalars for why).
            using var stride = (1L << l).ToScalar();
            using var zero = 0L.ToScalar();
            using var dMax = (d - 1).ToScalar();
            using var hMax = (h - 1).ToScalar();
            using var wMax = (w - 1).ToScalar();
            using var hw = (h * w).ToScalar();
            using var wS = w.ToScalar();
            using var scaled = positions.div(stride, rounding_mode: RoundingMode.floor);
            using var z = scaled.select(2, 0).clamp(zero, dMax);
            using var y = scaled.select(2, 1).clamp(zero, hMax);
            using var x = scaled.select(2, 2).clamp(zero, wMax);
            using var zOff = z.mul(hw);
            using var yOff = y.mul(wS);
            using var zy = zOff.add(yOff, Scalars.One);
            using var zyx = zy.add(x, Scalars.One);
            using var lin = zyx.unsqueeze(1).expand(n, c, m); // (N, C, M)
            using var flat = f.reshape(n, c, d * h * w);
            using var g = flat.gather(2, lin);                                     // (N, C, M)
            parts[l] = g.permute(0, 2, 1).reshape(n * m, c);
        }
        var result = cat(parts, 1);
        foreach (var p in parts) p.Dispose();
        return result;
    }
}
