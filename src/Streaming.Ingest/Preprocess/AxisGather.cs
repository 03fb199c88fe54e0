using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// out[x, y, z] = in[offX[x] + offY[y] + offZ[z]]: per-axis offset tables make one tight loop do exact axis
/// permutation, flips and nearest-neighbour resampling for any voxel type.
/// </summary>
internal static class AxisGather
{
    public static T[] Gather<T>(T[] src, Int3 outShape, long[] offX, long[] offY, long[] offZ, int maxDop, CancellationToken ct)
        where T : unmanaged
    {
        var dst = new T[outShape.Volume];
        int nx = outShape.X, ny = outShape.Y;
        ParallelSlices.For(outShape.Z, maxDop, ct, z =>
        {
            var s = src.AsSpan();
            var oz = offZ[z];
            var p = (long)nx * ny * z;
            for (var y = 0; y < ny; y++)
            {
                var row = dst.AsSpan((int)(p + (long)nx * y), nx);
                var b = oz + offY[y];
                for (var x = 0; x < row.Length; x++) row[x] = s[(int)(b + offX[x])];
            }
        });
        return dst;
    }

    /// <summary>Offsets of the input voxels feeding output axis a for a signed permutation without resampling.</summary>
    public static long[] PermuteOffsets(int n, bool flipped, long inputStride)
    {
        var off = new long[n];
        for (var o = 0; o < n; o++) off[o] = (flipped ? n - 1 - o : o) * inputStride;
        return off;
    }

    public static long[] Strides(Int3 shape) => [1, shape.X, (long)shape.X * shape.Y];
}
