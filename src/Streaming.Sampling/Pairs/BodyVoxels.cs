using Streaming.Imaging.Volumes;

namespace Streaming.Sampling.Pairs;

/// <summary>Lists the linear indices of body voxels inside a box of a patch's mask.</summary>
public static class BodyVoxels
{
    /// <summary>Writes indices (into the patch) of nonzero mask voxels in [lo, hi) to <paramref name="into"/>; returns the count.</summary>
    public static int Collect(ReadOnlySpan<byte> mask, Int3 patch, Int3 lo, Int3 hi, Span<int> into)
    {
        var c = 0;
        for (var z = lo.Z; z < hi.Z; z++)
            for (var y = lo.Y; y < hi.Y; y++)
            {
                var start = (int)patch.Index(lo.X, y, z);
                var row = mask.Slice(start, hi.X - lo.X);
                // Skip empty rows fast (most rows are all outside or all inside the body).
                if (row.IndexOfAnyExcept((byte)0) < 0) continue;
                for (var x = 0; x < row.Length; x++)
                {
                    into[c] = start + x;
                    c += row[x] != 0 ? 1 : 0;
                }
            }
        return c;
    }
}
