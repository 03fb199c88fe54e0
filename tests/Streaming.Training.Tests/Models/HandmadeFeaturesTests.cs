using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Models;

public class HandmadeFeaturesTests
{
    [Fact]
    public void Seven_full_resolution_channels_intensity_smoothed_then_coordinates()
    {
        using var net = new HandmadeFeatures();
        Assert.Equal(new[] { 7 }, net.OutputChannels);
        Assert.Equal(new Imaging.Volumes.Int3(1, 1, 1), net.Levels[0].Stride);
        Assert.True(net.WholeVolume);
        Assert.Empty(net.parameters()); // nothing to fine-tune

        using var scope = NewDisposeScope();
        random.manual_seed(1);
        var x = rand([1, 1, 6, 5, 4]);
        var f = net.forward(x)[0];
        Assert.Equal(new long[] { 1, 7, 6, 5, 4 }, f.shape);
        Assert.Equal(0f, (f[0, 0] - x[0, 0]).abs().max().item<float>());
        // z, y, x: position k of n at -1 + 2k / (n - 1), whatever the other axes.
        Assert.Equal(-1f, f[0, 4, 0, 3, 2].item<float>(), 6);
        Assert.Equal(-1f + 2f * 2 / 5, f[0, 4, 2, 0, 0].item<float>(), 6);
        Assert.Equal(1f, f[0, 4, 5, 4, 3].item<float>(), 6);
        Assert.Equal(-0.5f, f[0, 5, 3, 1, 0].item<float>(), 6);
        Assert.Equal(1f / 3, f[0, 6, 0, 0, 2].item<float>(), 6);
        Assert.Equal(1f, f[0, 6, 5, 4, 3].item<float>(), 6);
    }

    [Fact]
    public void Smoothing_keeps_a_constant_and_spreads_a_spike_more_at_larger_sigma()
    {
        using var net = new HandmadeFeatures();
        using var scope = NewDisposeScope();
        var constant = full(new long[] { 1, 1, 9, 9, 9 }, 0.37f);
        var c = net.forward(constant)[0];
        for (var ch = 1; ch <= 3; ch++) Assert.True((c[0, ch] - 0.37f).abs().max().item<float>() < 1e-6f, $"channel {ch}");

        var spike = zeros([1, 1, 9, 9, 9]);
        spike[0, 0, 4, 4, 4] = tensor(1f);
        var s = net.forward(spike)[0];
        var centre = Enumerable.Range(1, 3).Select(ch => s[0, ch, 4, 4, 4].item<float>()).ToArray();
        // σ = 1: the centre weight is (1 / (sqrt(2π)·σ))³ over the truncated, renormalised kernel; mass is kept.
        Assert.InRange(centre[0], 0.06f, 0.07f);
        Assert.True(centre[0] > centre[1] && centre[1] > centre[2], string.Join(", ", centre));
        Assert.Equal(1f, s[0, 1].sum().item<float>(), 4);
    }
}
