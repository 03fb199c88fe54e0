using Streaming.Ingest.Preprocess;

namespace Streaming.Ingest.Tests.Preprocess;

public class PercentileTests
{
    [Fact]
    public void HandComputed_LinearDefinition()
    {
        // Sorted: 1 2 3 4 10 → p25: r = 1 → 2; p50: 3; p90: r = 3.6 → 4 + 0.6 * 6 = 7.6; p0 = 1; p100 = 10.
        var p = Percentiles.Compute([10f, 3, 1, 4, 2], 25, 50, 90, 0, 100);
        Assert.Equal([2, 3, 7.6, 1, 10], p.Select(v => Math.Round(v, 10)));
    }

    [Fact]
    public void MatchesSortedReference_WithTiesAndOutliers()
    {
        var rng = new Random(7);
        var data = new float[20000];
        for (var i = 0; i < data.Length; i++)
            data[i] = i % 5 == 0 ? -1024f : (float)(rng.NextDouble() * 300 - 100); // many ties at -1024, like CT air
        data[123] = 1e30f; // one huge outlier squeezes everything else into the first histogram bin
        data[456] = -1e30f;
        var sorted = (float[])data.Clone();
        Array.Sort(sorted);
        double[] ps = [0, 0.1, 1, 17.3, 20, 50, 99.9, 100];
        var got = Percentiles.Compute(data, ps);
        for (var q = 0; q < ps.Length; q++)
        {
            var r = ps[q] / 100 * (data.Length - 1);
            var r0 = (int)Math.Floor(r);
            var r1 = Math.Min(r0 + 1, data.Length - 1);
            var expected = sorted[r0] + (r - r0) * ((double)sorted[r1] - sorted[r0]);
            Assert.Equal(expected, got[q], Math.Abs(expected) * 1e-12);
        }
    }

    [Fact]
    public void ExtremeAndTinyRanges_StayExact()
    {
        // Values spanning the whole float range, and a cluster a few ulps wide that no binning can split.
        var tiny = new[] { 1e-45f, 0f, 2e-45f, 1e-45f, 0f, 3e-45f, float.MaxValue, -float.MaxValue, -0f }; // 9 values: p = 12.5 k hits rank k exactly
        var sorted = (float[])tiny.Clone();
        Array.Sort(sorted);
        for (var k = 0; k < sorted.Length; k++)
        {
            var p = 100.0 * k / (sorted.Length - 1);
            Assert.Equal((double)sorted[k], Percentiles.Compute(tiny, p)[0]);
        }
        var big = Enumerable.Range(0, 5000).Select(i => i % 3 == 0 ? 1e-45f : i % 3 == 1 ? 0f : 2e-45f).ToArray();
        Assert.Equal((double)1e-45f, Percentiles.Compute(big, 50)[0]);
    }

    [Fact]
    public void ConstantData_GivesThatValue()
    {
        var data = Enumerable.Repeat(5.5f, 1000).ToArray();
        Assert.Equal([5.5, 5.5], Percentiles.Compute(data, 0.1, 99.9));
    }

    [Fact]
    public void NonFiniteOrBadPercentile_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.Compute([1f, float.NaN, 2f], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Compute([1f, 2f], 100.5));
    }
}
