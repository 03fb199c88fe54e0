using Streaming.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests;

public class InfoNceTests
{
    [Fact]
    public void MatchesHandComputedSmallCase()
    {
        // V = 2 pairs: rows (0,2) and (1,3) are positives; t = 0.5.
        // row 0: sims to 1,2,3 = 0, 1.2, 1.6 -> -1.2 + ln(e^0 + e^1.2 + e^1.6) = 1.027123
        // row 1: sims to 0,2,3 = 0, 1.6, -1.2 -> 1.2 + ln(1 + e^1.6 + e^-1.2)  = 3.033257 (rows 2, 3 symmetric)
        using var z = tensor(new float[] { 1, 0, 0, 1, 0.6f, 0.8f, 0.8f, -0.6f }, [4, 2]);
        double expected = (1.02712305727792 + 3.033257496995503) / 2;
        using var chunked = InfoNce.Loss(z, 0.5, chunkRows: 3);
        using var reference = InfoNce.Reference(z, 0.5);
        Assert.Equal(expected, chunked.item<float>(), 5);
        Assert.Equal(expected, reference.item<float>(), 5);
    }

    [Theory]
    [InlineData(7)]    // chunks straddle the A/B boundary and the end
    [InlineData(50)]   // one chunk
    [InlineData(1)]
    public void ChunkedEqualsUnchunked_ValueAndGradient(int chunk)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(42);
        var raw = randn([50, 8], generator: gen);
        var z1 = nn.functional.normalize(raw, dim: 1).detach().requires_grad_(true);
        var z2 = z1.detach().clone().requires_grad_(true);
        var a = InfoNce.Loss(z1, 0.1, chunk);
        var b = InfoNce.Reference(z2, 0.1);
        a.backward(); b.backward();
        Assert.Equal(b.item<float>(), a.item<float>(), 4);
        var maxDiff = (z1.grad! - z2.grad!).abs().max().item<float>();
        var scale = z2.grad!.abs().max().item<float>();
        Assert.True(scale > 1e-3, "reference gradient is not trivially zero");
        Assert.True(maxDiff < 1e-5 * Math.Max(1, scale) + 1e-6, $"max gradient difference {maxDiff} (scale {scale})");
    }

    [Fact]
    public void RejectsOddRowCount()
    {
        using var z = ones(3, 2);
        Assert.Throws<ArgumentException>(() => InfoNce.Loss(z, 0.1));
    }
}
