using Streaming.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests;

public class AdamFactoryTests
{
    [Fact]
    public void UsesPyTorchBetas()
    {
        // p = 0, lr = 1; gradient 1 then 0.
        // step 1: m = 0.1, v = 0.001 -> m^ = 1, v^ = 1 -> p = -1
        // step 2: m = 0.09, v = 0.000999 -> m^ = 0.09/0.19 = 0.473684, v^ = 0.000999/0.001999 = 0.499750 -> p = -1 - 0.670059
        // (TorchSharp's factory default beta2 = 0.99 would give -1.671575)
        var p = new TorchSharp.Modules.Parameter(zeros(1));
        using var opt = AdamFactory.Create([p], 1.0);
        foreach (var g in new[] { 1f, 0f })
        {
            opt.zero_grad();
            using var loss = (p * g).sum();
            loss.backward();
            opt.step();
        }
        Assert.Equal(-1.670059, p.item<float>(), 5);
    }
}
