using Streaming.Imaging.Volumes;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Supervised;

public class CicekUNet3dTests
{
    // One intra-op thread: libtorch's OpenMP threads spin when the 2 shared cores are oversubscribed.
    public CicekUNet3dTests() => set_num_threads(1);

    [Fact]
    public void Paper_layout_has_exactly_16313184_conv_weights()
    {
        var o = new CicekUNetOptions { Classes = 9 };
        Assert.Equal(16_313_184, o.ConvWeights3x3x3);
        using var net = new CicekUNet3d(o);
        var parameters = net.named_parameters().ToList();
        var conv = parameters.Where(p => p.parameter.dim() == 5 && p.parameter.shape[2] == 3).Sum(p => p.parameter.numel());
        Assert.Equal(16_313_184, conv);
        Assert.DoesNotContain(parameters, p => p.parameter.dim() == 1 && p.name.Contains(".0.bias")); // convs are bias-free
        // Besides: BatchNorm affine (2 per channel of 14 convs) and the 1x1x1 classifier 64 x 9 + 9; no up-sampling weights.
        long bnChannels = (32 + 64) + (64 + 128) + (128 + 256) + (256 + 512) + (256 + 256) + (128 + 128) + (64 + 64);
        Assert.Equal(16_313_184 + 2 * bnChannels + 64 * 9 + 9, parameters.Sum(p => p.parameter.numel()));
    }

    [Fact]
    public void Exposes_the_deepest_levels_and_returns_full_resolution_logits()
    {
        using var scope = NewDisposeScope();
        using var net = new CicekUNet3d(new CicekUNetOptions { Classes = 3, BaseChannels = 2, Levels = 4 });
        Assert.Equal([32, 16, 8], net.LevelChannels(3));
        Assert.Equal([8, 4, 2], net.LevelStrides(3));
        net.eval();
        using var _ = no_grad();
        var logits = net.ForwardWithLevels(randn([2, 1, 8, 16, 24]), 3, out var levels);
        Assert.Equal(new long[] { 2, 3, 8, 16, 24 }, logits.shape);
        Assert.Equal(new long[] { 2, 32, 1, 2, 3 }, levels[0].shape);
        Assert.Equal(new long[] { 2, 16, 2, 4, 6 }, levels[1].shape);
        Assert.Equal(new long[] { 2, 8, 4, 8, 12 }, levels[2].shape);
        Assert.Throws<ArgumentException>(() => net.Logits(randn([1, 1, 8, 16, 12])));

        // As the exported feature extractor: the last synthesis output and analysis levels 1..3, finest first.
        Assert.Equal([4, 8, 16, 32], net.OutputChannels);
        Assert.Equal(new Int3(8, 8, 8), net.Alignment);
        var features = net.forward(randn([1, 1, 8, 16, 24]));
        Assert.Equal(new long[] { 1, 4, 8, 16, 24 }, features[0].shape);
        Assert.Equal(new long[] { 1, 32, 1, 2, 3 }, features[3].shape);
    }
}
