using MathNet.Numerics.Distributions;

namespace Streaming.Evaluation.Metrics;

/// <summary>
/// A paired comparison of two arms scored on the same volumes: the mean of the per-volume differences (arm minus
/// baseline) and its two-sided Student-t confidence interval, mean ± t(1 - (1 - level) / 2, n - 1) · sd / √n. Pairs
/// where either value is undefined are dropped. With one pair the interval is undefined (NaN).
/// </summary>
public sealed record PairedDifference(int Pairs, double Mean, double StdDev, double Lower, double Upper, double Level)
{
    public static PairedDifference Of(IReadOnlyList<double> arm, IReadOnlyList<double> baseline, double level = 0.95)
    {
        if (arm.Count != baseline.Count) throw new ArgumentException($"paired values: {arm.Count} vs {baseline.Count}");
        if (!(level > 0 && level < 1)) throw new ArgumentException("confidence level must be in (0, 1)");
        var d = arm.Zip(baseline, (a, b) => a - b).Where(double.IsFinite).ToArray();
        if (d.Length == 0) return new PairedDifference(0, double.NaN, double.NaN, double.NaN, double.NaN, level);
        var mean = d.Average();
        if (d.Length == 1) return new PairedDifference(1, mean, double.NaN, double.NaN, double.NaN, level);
        var sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
        var half = StudentT.InvCDF(0, 1, d.Length - 1, 1 - (1 - level) / 2) * sd / Math.Sqrt(d.Length);
        return new PairedDifference(d.Length, mean, sd, mean - half, mean + half, level);
    }

    /// <summary>True when the whole interval lies above zero (the arm is better at this level).</summary>
    public bool Better => Lower > 0;
    /// <summary>True when the whole interval lies below zero.</summary>
    public bool Worse => Upper < 0;
}
