using Streaming.Imaging.Volumes;

namespace Streaming.Sampling.Context;

/// <summary>
/// Trilinear interpolation of a <see cref="SampleGrid"/> from a region of a volume. Only the region that holds the
/// grid is needed (<see cref="Region"/>): the sampler reads it from the chunked cache and nothing else. The grid is
/// axis-aligned, so the voxel coordinates and weights of each grid axis are computed once and combined per sample.
/// </summary>
public static class TrilinearSampler
{
    /// <summary>The voxel box [Origin, Origin + Size) that holds every sample of <paramref name="grid"/> and its
    /// trilinear neighbours, inside a volume of <paramref name="shape"/>.</summary>
    public static (Int3 Origin, Int3 Size) Region(SampleGrid grid, Int3 shape)
    {
        Span<int> lo = stackalloc int[3];
        Span<int> hi = stackalloc int[3];
        for (var a = 0; a < 3; a++) { lo[a] = 0; hi[a] = shape[a] - 1; }
        foreach (var ax in grid.Axes)
        {
            var n = shape[ax.Axis];
            var first = NormalizedFrame.ToVoxel(grid.Coordinate(ax, 0), n);
            var last = NormalizedFrame.ToVoxel(grid.Coordinate(ax, ax.Count - 1), n);
            lo[ax.Axis] = (int)Math.Floor(Math.Min(first, last));
            hi[ax.Axis] = Math.Min(n - 1, (int)Math.Floor(Math.Max(first, last)) + 1);
        }
        // Axes the grid does not span (none for planar patches and cubes) keep the whole extent.
        var origin = new Int3(lo[0], lo[1], lo[2]);
        return (origin, new Int3(hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1));
    }

    /// <summary>
    /// Writes the grid's samples (C-order: Slow, Mid, Fast) to <paramref name="output"/> from <paramref name="region"/>
    /// (x fastest, extent <paramref name="regionSize"/>, at <paramref name="regionOrigin"/> of a volume of
    /// <paramref name="shape"/>). The region must hold <see cref="Region"/>(grid, shape).
    /// </summary>
    public static void Sample(ReadOnlySpan<float> region, Int3 regionOrigin, Int3 regionSize, Int3 shape, SampleGrid grid, Span<float> output)
    {
        if (output.Length < grid.Count) throw new ArgumentException($"output holds {output.Length} samples, the grid has {grid.Count}");
        if (region.Length < regionSize.Volume) throw new ArgumentException($"region holds {region.Length} voxels, its size {regionSize} needs {regionSize.Volume}");
        var axes = grid.Axes;
        // Per grid axis: the region-local lower voxel index and the weight of the upper one, for each sample.
        var i0 = new int[3][];
        var w = new float[3][];
        for (var g = 0; g < 3; g++)
        {
            var ax = axes[g];
            var n = shape[ax.Axis];
            i0[g] = new int[ax.Count];
            w[g] = new float[ax.Count];
            for (var k = 0; k < ax.Count; k++)
            {
                var v = NormalizedFrame.ToVoxel(grid.Coordinate(ax, k), n);
                var f = Math.Min((int)Math.Floor(v), n - 1);
                var local = f - regionOrigin[ax.Axis];
                if (local < 0 || local >= regionSize[ax.Axis] || (v > f && local + 1 >= regionSize[ax.Axis]))
                    throw new ArgumentException($"sample {k} of axis {ax.Axis} needs voxel {f}, outside the region {regionOrigin}+{regionSize}");
                i0[g][k] = local;
                w[g][k] = (float)(v - f);
            }
        }
        // Strides of each grid axis in the region buffer, and whether the upper neighbour exists (clamped at the border).
        long[] stride = [1, regionSize.X, (long)regionSize.X * regionSize.Y];
        var s = new long[3];
        var size = new int[3];
        for (var g = 0; g < 3; g++) { s[g] = stride[axes[g].Axis]; size[g] = regionSize[axes[g].Axis]; }

        var o = 0;
        for (var a = 0; a < axes[0].Count; a++)
        {
            int ia = i0[0][a]; float wa = w[0][a]; long sa = ia + 1 < size[0] ? s[0] : 0;
            for (var b = 0; b < axes[1].Count; b++)
            {
                int ib = i0[1][b]; float wb = w[1][b]; long sb = ib + 1 < size[1] ? s[1] : 0;
                var rowBase = ia * s[0] + ib * s[1];
                for (var c = 0; c < axes[2].Count; c++)
                {
                    int ic = i0[2][c]; float wc = w[2][c]; long sc = ic + 1 < size[2] ? s[2] : 0;
                    var p = rowBase + ic * s[2];
                    // Interpolate along the fast axis, then mid, then slow (a weight of 0 never reads past the border).
                    float c00 = Lerp(region[(int)p], region[(int)(p + sc)], wc);
                    float c01 = Lerp(region[(int)(p + sb)], region[(int)(p + sb + sc)], wc);
                    float c10 = Lerp(region[(int)(p + sa)], region[(int)(p + sa + sc)], wc);
                    float c11 = Lerp(region[(int)(p + sa + sb)], region[(int)(p + sa + sb + sc)], wc);
                    output[o++] = Lerp(Lerp(c00, c01, wb), Lerp(c10, c11, wb), wa);
                }
            }
        }
    }

    private static float Lerp(float a, float b, float t) => a + (b - a) * t;
}
