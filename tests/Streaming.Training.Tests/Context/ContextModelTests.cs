using Streaming.Training.Losses;
using Streaming.Training.Models.Context;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Context;

public class ContextModelTests
{
    private static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());

    [Fact]
    public void Parameter_counts_equal_the_papers_table()
    {
        using var d2d = new D2dCnn();
        using var reg = new Reg2dHead();
        using var heat = new HeatmapHead();
        using var d3d = new D3dCnn();
        using var six = new SixNeighbourHead();
        Assert.Equal(139_744, Count(d2d));
        Assert.Equal(27_138, Count(reg));
        Assert.Equal(28_189, Count(heat));
        Assert.Equal(393_392, Count(d3d));
        Assert.Equal(31_238, Count(six));
    }

    [Fact]
    public void Networks_map_the_papers_input_sizes_to_their_output_sizes()
    {
        using var scope = NewDisposeScope();
        using var d2d = new D2dCnn();
        using var reg = new Reg2dHead();
        using var heat = new HeatmapHead();
        using var d3d = new D3dCnn();
        using var six = new SixNeighbourHead();
        foreach (var m in new nn.Module[] { d2d, reg, heat, d3d, six }) m.eval();
        using var _ = no_grad();
        var f = d2d.forward(rand([4, 3, 42, 42]));
        Assert.Equal(new long[] { 4, 64 }, f.shape);
        var pair = cat([f, f], 1);
        Assert.Equal(new long[] { 4, 2 }, reg.forward(pair).shape);
        Assert.Equal(new long[] { 4, 19, 19 }, heat.forward(pair).shape);
        var g = d3d.forward(rand([2, 1, 25, 25, 25]));
        Assert.Equal(new long[] { 2, 192 }, g.shape);
        Assert.Equal(new long[] { 2, 6 }, six.forward(cat([g, g], 1)).shape);
        Assert.Throws<ArgumentException>(() => d2d.forward(rand([1, 3, 40, 40])));
    }

    [Fact]
    public void Xavier_init_sets_conv_weights_within_the_glorot_bound_and_leaves_norms()
    {
        using var d2d = XavierInit.Apply(new D2dCnn());
        var w = d2d.named_parameters().First(p => p.name == "layers.2.conv.weight").parameter; // (64, 32, 3, 3)
        double bound = Math.Sqrt(6.0 / (32 * 9 + 64 * 9));
        var v = w.data<float>().ToArray();
        Assert.All(v, x => Assert.InRange(Math.Abs(x), 0, bound + 1e-6));
        Assert.True(v.Max() > 0.8 * bound); // uniform over the whole range, not a narrower default init
        var norm = d2d.named_parameters().First(p => p.name == "layers.2.norm.weight").parameter;
        Assert.All(norm.data<float>().ToArray(), x => Assert.Equal(1f, x));
    }

    [Fact]
    public void Heatmap_target_peaks_at_the_offset()
    {
        using var scope = NewDisposeScope();
        // On-grid offsets peak exactly there with the full amplitude.
        var offsets = tensor(new float[] { 0.0f, 0.0f, 3 / 9f, -5 / 9f, -0.7f + 0.7f / 63, 0.7f }, [3, 2]);
        var maps = OffsetHeatmap.Target(offsets);
        Assert.Equal(new long[] { 3, 19, 19 }, maps.shape);
        Assert.Equal(10f, maps[0, 9, 9].item<float>(), 4);
        Assert.Equal(10f, maps[1, 12, 4].item<float>(), 4);
        var decoded = OffsetHeatmap.Decode(maps).data<float>().ToArray();
        Assert.Equal(0f, decoded[0], 5); Assert.Equal(0f, decoded[1], 5);
        Assert.Equal(3 / 9f, decoded[2], 5); Assert.Equal(-5 / 9f, decoded[3], 5);
        // An off-grid offset peaks at the nearest grid cell: -0.689 → i = -6 (-0.667), 0.7 → j = 6 (0.667).
        Assert.Equal(-6 / 9f, decoded[4], 5); Assert.Equal(6 / 9f, decoded[5], 5);
        // The formula at one cell: 10 exp(-15 [(1/9 - 0)^2 + (0 - 0)^2]).
        Assert.Equal(10 * Math.Exp(-15.0 / 81), maps[0, 10, 9].item<float>(), 4);
        // A perfect prediction has zero loss.
        Assert.Equal(0f, OffsetHeatmap.Loss(maps, offsets).item<float>(), 6);
    }
}
