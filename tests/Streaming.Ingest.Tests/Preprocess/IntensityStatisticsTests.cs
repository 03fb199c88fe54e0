using Streaming.Ingest.Preprocess;

namespace Streaming.Ingest.Tests.Preprocess;

public class IntensityStatisticsTests
{
    [Fact]
    public void HandComputed()
    {
        // Values 1, 2, 3, 4; body = {2, 3}. mean 2.5, population std sqrt(1.25);
        // P01 (0.1th percentile): r = 0.001 * 3 = 0.003 → 1.003; P999: r = 2.997 → 3.997.
        var s = IntensityStatistics.Compute([1f, 2, 3, 4], [0, 1, 1, 0]);
        Assert.Equal(1, s.Min);
        Assert.Equal(4, s.Max);
        Assert.Equal(2.5, s.Mean, 1e-12);
        Assert.Equal(Math.Sqrt(1.25), s.Std, 1e-7);
        Assert.Equal(1.003, s.P01, 1e-9);
        Assert.Equal(3.997, s.P999, 1e-9);
        Assert.Equal(2.5, s.BodyMean, 1e-12);
        Assert.Equal(0.5, s.BodyStd, 1e-12);
    }

    [Fact]
    public void LargeArray_MeanAndStdMatchDoubleReference()
    {
        var rng = new Random(3);
        var a = new float[100_003];
        for (var i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() * 4000 - 1024);
        // Every third voxel is body; some mask bytes are 255 (any nonzero counts as body).
        var body = new byte[a.Length];
        for (var i = 0; i < a.Length; i += 3) body[i] = (byte)(i % 2 == 0 ? 1 : 255);
        var s = IntensityStatistics.Compute(a, body);
        var mean = a.Average(v => (double)v);
        var std = Math.Sqrt(a.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(mean, s.Mean, 1e-6 * Math.Abs(mean) + 1e-6);
        Assert.Equal(std, s.Std, 1e-6 * std);
        var inBody = a.Where((_, i) => body[i] != 0).Select(v => (double)v).ToArray();
        var bodyMean = inBody.Average();
        var bodyStd = Math.Sqrt(inBody.Average(v => (v - bodyMean) * (v - bodyMean)));
        Assert.Equal(bodyMean, s.BodyMean, 1e-6 * Math.Abs(bodyMean) + 1e-6);
        Assert.Equal(bodyStd, s.BodyStd, 1e-6 * bodyStd);
        Assert.Equal(0, IntensityStatistics.Compute(a, new byte[a.Length]).BodyMean);
    }
}
