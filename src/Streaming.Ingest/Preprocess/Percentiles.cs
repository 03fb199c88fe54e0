namespace Streaming.Ingest.Preprocess;

/// <summary>
/// Percentiles with NumPy's default ("linear") definition: the p-th percentile of n sorted values x is
/// x[r0] + (r - r0) * (x[r0 + 1] - x[r0]) with r = p / 100 * (n - 1), r0 = floor(r). Exact (no binning error).
/// </summary>
public static class Percentiles
{
    /// <summary>The requested percentiles (each in [0, 100]) of finite, non-empty data.</summary>
    public static double[] Compute(ReadOnlySpan<float> data, params ReadOnlySpan<double> percents)
    {
        if (data.IsEmpty) throw new ArgumentException("no values to take percentiles of");
        if (VoxelMath.HasNonFinite(data)) throw new ArgumentException("percentiles need finite values (found NaN or infinity)");
        var n = data.Length;
        var ranks = new long[percents.Length * 2];
        var fracs = new double[percents.Length];
        for (var q = 0; q < percents.Length; q++)
        {
            var p = percents[q];
            if (!(p >= 0 && p <= 100)) throw new ArgumentOutOfRangeException(nameof(percents), $"percentile {p} outside [0, 100]");
            var r = p / 100.0 * (n - 1);
            var r0 = Math.Min((long)Math.Floor(r), n - 1);
            ranks[2 * q] = r0;
            ranks[2 * q + 1] = Math.Min(r0 + 1, n - 1);
            fracs[q] = r - r0;
        }
        var v = OrderStatistics.Select(data, ranks);
        var result = new double[percents.Length];
        for (var q = 0; q < percents.Length; q++)
        {
            double a = v[2 * q], b = v[2 * q + 1];
            result[q] = fracs[q] == 0 ? a : a + fracs[q] * (b - a);
        }
        return result;
    }
}
