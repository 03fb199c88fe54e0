using Streaming.Training.Methods.Sal;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Sal;

public class SalObjectiveTests
{
    private static readonly SalOptions Tiny = new()
    {
        Model = new UNet2dOptions { Widths = [2, 4, 4, 8, 8] }, LocalDim = 6, GlobalDim = 5, Lambda = 80, WindowH = 2, WindowW = 2,
    };

    // Two volumes (N = 40 and 50), two slices each, two views per slice: views A then views B.
    private static SliceSample[] Samples()
    {
        SliceSample[] one = [new(0, 10, 40), new(0, 12, 40), new(1, 11, 50), new(1, 40, 50)];
        return [.. one, .. one];
    }

    [Fact]
    public void TotalIsGpPlusLambdaTimesWlaAndThePartsAreLogged()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var model = new SalModel(Tiny);
        var x = randn(8, 1, 32, 32);
        var l = SalObjective.Compute(model, Tiny, x, Samples());
        double gp = l.Parts["gp"].item<float>(), wla = l.Parts["wla"].item<float>();
        Assert.Equal(gp + 80 * wla, l.Total.item<float>(), 3);
        Assert.True(gp > 0 && wla > 0);
        // Same-volume pairs closer than 0.1 N: volume 0 (|10 - 12| < 4): 4 views -> 12 ordered pairs;
        // volume 1: slices 11 and 40 are not close, so only each slice's two views: 2 x 2 = 4.
        Assert.Equal(16, l.Parts["local_pairs"].item<float>());
        Assert.InRange(l.Parts["local_spread"].item<float>(), 0.01, 1.5);
        Assert.InRange(l.Parts["global_spread"].item<float>(), 0.01, 1.5);
    }

    [Fact]
    public void LambdaZeroIsPclAndLeavesTheLocalEmbeddingWithoutGradient()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var pcl = Tiny with { Lambda = 0 };
        var model = new SalModel(pcl);
        var l = SalObjective.Compute(model, pcl, randn(8, 1, 32, 32), Samples());
        Assert.Equal(l.Parts["gp"].item<float>(), l.Total.item<float>());
        Assert.True(l.Parts["wla"].item<float>() > 0, "WLA is still measured for the log");
        l.Total.backward();
        Assert.Null(model.Local.parameters().Single().grad);
        Assert.NotNull(model.Global.parameters().First().grad);
        // The decoder never takes part in pre-training.
        Assert.All(model.Backbone.named_parameters().Where(p => p.name.StartsWith("decoder.")), p => Assert.Null(p.parameter.grad));
        Assert.Contains(model.Backbone.named_parameters(), p => p.name.StartsWith("encoder.levels.4.") && p.parameter.grad is not null);
    }

    [Fact]
    public void ParameterNamesOfTheRootModule()
    {
        using var model = new SalModel(Tiny);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("backbone.encoder.levels.0.conv1.weight", names);
        Assert.Contains("local.linear.weight", names);
        Assert.Contains("global.linear.weight", names);
        Assert.Contains("global.linear.bias", names);
        Assert.DoesNotContain("local.linear.bias", names);
    }
}
