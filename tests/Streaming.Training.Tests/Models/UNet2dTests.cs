using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Models;

public class UNet2dTests
{
    private static readonly UNet2dOptions Small = new() { Widths = [4, 8, 8, 16, 16], Norm = NormKind.Batch };

    [Fact]
    public void FourDownsamplingsGiveStridesOneToSixteenAndAFullResolutionOutput()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var net = new UNet2d(Small);
        var x = randn(3, 1, 32, 48);
        var levels = net.Encode(x);
        Assert.Equal(5, levels.Length);
        for (int l = 0; l < 5; l++)
            Assert.Equal(new long[] { 3, Small.Widths[l], 32 >> l, 48 >> l }, levels[l].shape);
        Assert.Equal(new long[] { 3, 4, 32, 48 }, net.forward(x).shape);
    }

    [Fact]
    public void ParameterNamesArePinned()
    {
        // Exports and fine-tuning load by these names; a renamed field would silently orphan every saved backbone.
        using var net = new UNet2d(Small with { Widths = [2, 4, 4] });
        var names = net.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("encoder.levels.0.conv1.weight", names);
        Assert.Contains("encoder.levels.2.norm2.weight", names);
        Assert.Contains("decoder.up.1.weight", names);
        Assert.Contains("decoder.up.1.bias", names);
        Assert.Contains("decoder.fuse.0.conv2.weight", names);
        Assert.DoesNotContain("encoder.levels.0.conv1.bias", names);
        // 3 encoder blocks x (2 convs + 2 norms x 2) + 2 up x 2 + 2 fuse blocks x 6.
        Assert.Equal(3 * 6 + 2 * 2 + 2 * 6, names.Count);
    }

    [Fact]
    public void RejectsInputsThePoolingCannotHalveExactly()
    {
        using var net = new UNet2d(Small);
        using var x = zeros(1, 1, 40, 32);
        var e = Assert.Throws<ArgumentException>(() => net.forward(x));
        Assert.Contains("multiples of 16", e.Message);
        using var rgb = zeros(1, 3, 32, 32);
        Assert.Contains("(N, 1, H, W)", Assert.Throws<ArgumentException>(() => net.forward(rgb)).Message);
        Assert.Throws<ArgumentException>(() => new UNet2dOptions { Widths = [8, 16] }.Validate());
    }

    [Fact]
    public void OptionsCompareWidthsByValue()
    {
        Assert.Equal(new UNet2dOptions { Widths = [1, 2, 3] }, new UNet2dOptions { Widths = [1, 2, 3] });
        Assert.NotEqual(new UNet2dOptions { Widths = [1, 2, 3] }, new UNet2dOptions { Widths = [1, 2, 4] });
    }

    [Fact]
    public void LocalEmbeddingIsBiasFreeAndUnitLength()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var emb = new LocalEmbedding(8, 5);
        Assert.Equal(["linear.weight"], emb.named_parameters().Select(p => p.name));
        var e = emb.forward(randn(2, 8, 4, 4));
        Assert.Equal(new long[] { 2, 5, 4, 4 }, e.shape);
        var norms = e.pow(2).sum(1).sqrt();
        Assert.True(norms.sub(1.0).abs().max().item<float>() < 1e-5);
        // Bias-free, so odd: negated features embed to the opposite vectors (a bias would add a shared direction).
        var x = randn(2, 8, 4, 4);
        Assert.True(emb.forward(x.neg()).add(emb.forward(x)).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void GlobalProjectionPoolsThenProjectsToUnitVectors()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var head = new GlobalProjection(16, 6);
        var x = randn(3, 16, 2, 2);
        var z = head.forward(x);
        Assert.Equal(new long[] { 3, 6 }, z.shape);
        Assert.True(z.pow(2).sum(1).sub(1.0).abs().max().item<float>() < 1e-5);
        // Only the spatial mean matters: a map with the same per-channel means projects to the same vector.
        var flat = x.mean([2, 3], keepdim: true).expand(3, 16, 2, 2);
        Assert.True(head.forward(flat).sub(z).abs().max().item<float>() < 1e-5);
    }
}
