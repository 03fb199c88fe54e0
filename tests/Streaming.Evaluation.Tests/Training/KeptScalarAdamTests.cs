using Streaming.Evaluation.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests.Training;

public class KeptScalarAdamTests
{
    /// <summary>Parameters after <paramref name="steps"/> updates on a fixed quadratic, by either optimiser.</summary>
    private static float[] Train(bool kept, int steps, Func<int, double> lr)
    {
        random.manual_seed(3);
        using var layer = nn.Linear(5, 3);
        using var x = randn(8, 5);
        using var target = randn(8, 3);
        using var torchAdam = kept ? null : optim.Adam(layer.parameters(), lr: lr(0));
        using var keptAdam = kept ? new KeptScalarAdam(layer.parameters(), lr(0)) : null;
        for (var s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            if (kept) { keptAdam!.LearningRate = lr(s); keptAdam.ZeroGrad(); }
            else { foreach (var g in torchAdam!.ParamGroups) g.LearningRate = lr(s); torchAdam.zero_grad(); }
            var loss = layer.forward(x).sub(target).square().mean();
            loss.backward();
            if (kept) keptAdam!.Step(); else torchAdam!.step();
        }
        return layer.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
    }

    [Fact]
    public void Updates_parameters_exactly_as_TorchSharps_Adam()
    {
        // A constant rate (the probe) and one that changes every step (fine-tuning's backbone ramp).
        Assert.Equal(Train(kept: false, 25, _ => 1e-2), Train(kept: true, 25, _ => 1e-2));
        Assert.Equal(Train(kept: false, 25, s => 1e-3 * (1 + s)), Train(kept: true, 25, s => 1e-3 * (1 + s)));
        Assert.NotEqual(Train(kept: true, 0, _ => 1e-2), Train(kept: true, 25, _ => 1e-2)); // it did train
    }

    [Fact]
    public void Skips_parameters_without_a_gradient()
    {
        using var a = nn.Parameter(ones(3));
        using var b = nn.Parameter(ones(3));
        using var opt = new KeptScalarAdam([a, b], 0.1);
        using (var loss = a.sum()) loss.backward();
        opt.Step();
        Assert.All(a.data<float>().ToArray(), v => Assert.Equal(0.9f, v, 5)); // Adam's first step moves by lr
        Assert.All(b.data<float>().ToArray(), v => Assert.Equal(1f, v));
    }
}
