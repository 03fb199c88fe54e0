using Streaming.Training.Losses;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Supervised;

public class SoftDiceLossTests
{
    [Fact]
    public void Matches_the_vnet_formula_on_a_hand_case()
    {
        // Two voxels, two classes: softmax gives class 1 probabilities 0.5 and 0.75; targets 0 and 1.
        // class 0: 2(0.5) / (0.25 + 0.0625 + 1) = 0.761905; class 1: 2(0.75) / (0.25 + 0.5625 + 1) = 0.827586.
        using var logits = tensor(new float[] { 0, 0, 0, (float)Math.Log(3) }, [1, 2, 1, 1, 2]);
        using var target = tensor(new long[] { 0, 1 }, [1, 1, 1, 2]);
        using var loss = SoftDiceLoss.Loss(logits, target);
        Assert.Equal(1 - (0.761905 + 0.827586) / 2, loss.item<float>(), 5);
        // Confident and right: close to 0.
        using var sure = tensor(new float[] { 20, -20, -20, 20 }, [1, 2, 1, 1, 2]);
        Assert.InRange(SoftDiceLoss.Loss(sure, target).item<float>(), 0, 1e-5);
    }
}
