using System.Numerics;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// Exact order statistics (k-th smallest values) of finite float data without sorting it: a histogram over the value
/// range finds the bin holding each requested rank, then only that bin's values are examined, recursively.
/// Each level costs one or two linear passes; sorting happens only on tiny remainders.
/// </summary>
internal static class OrderStatistics
{
    private const int Bins = 16384;
    /// <summary>Bins larger than this are not copied out; they are narrowed again over the parent data instead.</summary>
    private const int GatherLimit = 1 << 20;
    private const int SortLimit = 64;

    /// <summary>The values of rank ranks[q] (0-based, ascending order) of data, which must be finite and non-empty.</summary>
    public static float[] Select(ReadOnlySpan<float> data, ReadOnlySpan<long> ranks)
    {
        if (data.IsEmpty) throw new ArgumentException("no values to take order statistics of");
        var results = new float[ranks.Length];
        var queries = new List<(long Rank, int Slot)>(ranks.Length);
        for (var q = 0; q < ranks.Length; q++)
        {
            if (ranks[q] < 0 || ranks[q] >= data.Length)
                throw new ArgumentOutOfRangeException(nameof(ranks), $"rank {ranks[q]} outside 0..{data.Length - 1}");
            queries.Add((ranks[q], q));
        }
        var (min, max) = VoxelMath.MinMax(data);
        Resolve(data, min, max, filter: false, below: 0, queries, results);
        return results;
    }

    /// <summary>
    /// Answers queries about the values of data lying in [lo, hi] (all of data when !filter); `below` values of the
    /// full set are smaller than lo, so a query's rank within this subset is Rank - below.
    /// </summary>
    private static void Resolve(ReadOnlySpan<float> data, float lo, float hi, bool filter, long below,
        List<(long Rank, int Slot)> queries, float[] results)
    {
        if (lo == hi)
        {
            foreach (var q in queries) results[q.Slot] = lo;
            return;
        }
        if (!filter && data.Length <= SortLimit)
        {
            SortAndAnswer(data, lo, hi, filter, below, queries, results);
            return;
        }

        // Bin index is monotone in v, lo lands in bin 0 and hi in the last bin, so every bin holds strictly fewer
        // distinct values than [lo, hi]: the recursion terminates.
        var scale = (float)(Bins / ((double)hi - lo));
        if (!float.IsFinite(scale) || Bin(hi, lo, scale) == 0)
        {
            // [lo, hi] is a few floats wide (denormal-scale range): no binning separates them, so sort what is there.
            SortAndAnswer(data, lo, hi, filter, below, queries, results);
            return;
        }
        var hist = Histogram(data, lo, hi, scale, filter);

        // Group queries by the bin that holds their rank.
        var slotOfBin = new Dictionary<int, int>();
        var groups = new List<(int Bin, long BelowBin, List<(long Rank, int Slot)> Queries)>();
        foreach (var q in queries)
        {
            var r = q.Rank - below;
            long cum = 0;
            var b = 0;
            for (; b < Bins; b++)
            {
                if (r < cum + hist[b]) break;
                cum += hist[b];
            }
            if (b == Bins) throw new InvalidOperationException("rank beyond the histogram (non-finite data?)");
            if (!slotOfBin.TryGetValue(b, out var s))
            {
                s = groups.Count;
                slotOfBin[b] = s;
                groups.Add((b, below + cum, new List<(long, int)>()));
            }
            groups[s].Queries.Add(q);
        }

        // One pass collects, per wanted bin, its min/max and (when small enough) its values.
        var n = groups.Count;
        var binSlot = new short[Bins];
        Array.Fill(binSlot, (short)-1);
        var mins = new float[n];
        var maxs = new float[n];
        var bufs = new float[]?[n];
        var fill = new int[n];
        for (var s = 0; s < n; s++)
        {
            binSlot[groups[s].Bin] = (short)s;
            mins[s] = float.PositiveInfinity;
            maxs[s] = float.NegativeInfinity;
            var count = hist[groups[s].Bin];
            bufs[s] = count <= GatherLimit ? new float[count] : null;
        }
        for (var i = 0; i < data.Length; i++)
        {
            var v = data[i];
            if (filter && (v < lo || v > hi)) continue;
            var s = binSlot[Bin(v, lo, scale)];
            if (s < 0) continue;
            if (v < mins[s]) mins[s] = v;
            if (v > maxs[s]) maxs[s] = v;
            var buf = bufs[s];
            if (buf is not null) buf[fill[s]++] = v;
        }

        for (var s = 0; s < n; s++)
        {
            var g = groups[s];
            if (bufs[s] is { } buf) Resolve(buf, mins[s], maxs[s], filter: false, g.BelowBin, g.Queries, results);
            else Resolve(data, mins[s], maxs[s], filter: true, g.BelowBin, g.Queries, results);
        }
    }

    private static void SortAndAnswer(ReadOnlySpan<float> data, float lo, float hi, bool filter, long below,
        List<(long Rank, int Slot)> queries, float[] results)
    {
        var list = new List<float>();
        foreach (var v in data)
            if (!filter || (v >= lo && v <= hi)) list.Add(v);
        list.Sort();
        foreach (var q in queries) results[q.Slot] = list[(int)(q.Rank - below)];
    }

    /// <summary>Float arithmetic is monotone here too: (v - lo) and * scale (> 0) both round monotonically.</summary>
    private static int Bin(float v, float lo, float scale)
    {
        var b = (int)((v - lo) * scale);
        return b < Bins ? b : Bins - 1;
    }

    /// <summary>
    /// Histogram of data (only values in [lo, hi] when filter) into Bins bins. Bin indices are computed 8 at a time
    /// with SIMD (same float formula as <see cref="Bin"/>); four interleaved sub-histograms keep runs of equal values
    /// (CT air) from serialising on one counter.
    /// </summary>
    private static int[] Histogram(ReadOnlySpan<float> data, float lo, float hi, float scale, bool filter)
    {
        var h = new int[4 * Bins];
        var i = 0;
        if (!filter && Vector.IsHardwareAccelerated && Vector<int>.Count >= 4)
        {
            var w = Vector<float>.Count;
            var vlo = new Vector<float>(lo);
            var vs = new Vector<float>(scale);
            var vmax = new Vector<int>(Bins - 1);
            Span<int> idx = stackalloc int[Vector<int>.Count];
            for (; i <= data.Length - w; i += w)
            {
                var b = Vector.Min(Vector.ConvertToInt32((new Vector<float>(data.Slice(i, w)) - vlo) * vs), vmax);
                b.CopyTo(idx);
                for (var k = 0; k < idx.Length; k++) h[(k & 3) * Bins + idx[k]]++;
            }
        }
        for (; i < data.Length; i++)
        {
            var v = data[i];
            if (filter && (v < lo || v > hi)) continue;
            h[(i & 3) * Bins + Bin(v, lo, scale)]++;
        }
        var hist = new int[Bins];
        for (var b = 0; b < Bins; b++) hist[b] = h[b] + h[Bins + b] + h[2 * Bins + b] + h[3 * Bins + b];
        return hist;
    }
}
