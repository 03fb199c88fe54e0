using Streaming.Evaluation.Training;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests.Training;

public class SegmentationLossTests
{
    [Fact]
    public void HandComputedForSlicesAndVolumesAlike()
    {
        // Two pixels, two classes, zero logits: p = 0.5 everywhere; targets 0 and 1.
        // CE = ln 2. Per class: intersection 0.5, |P| = 1, |G| = 1 -> Dice (2 x 0.5 + 1) / (1 + 1 + 1) = 2/3.
        // loss = ln 2 + 1 - 2/3.
        double expected = Math.Log(2) + 1.0 / 3;
        using var logits2d = zeros(1, 2, 1, 2);
        using var target2d = tensor(new long[] { 0, 1 }, [1, 1, 2]);
        using var loss2d = SegmentationLoss.DiceCrossEntropy(logits2d, target2d);
        Assert.Equal(expected, loss2d.item<float>(), 5);
        using var logits3d = zeros([1, 2, 1, 1, 2]);
        using var target3d = tensor(new long[] { 0, 1 }, [1, 1, 1, 2]);
        using var loss3d = SegmentationLoss.DiceCrossEntropy(logits3d, target3d);
        Assert.Equal(expected, loss3d.item<float>(), 5);
    }

    [Fact]
    public void PerfectConfidentPredictionScoresNearZero()
    {
        using var logits = tensor(new float[] { 20, -20, -20, 20 }, [1, 2, 1, 2]);
        using var target = tensor(new long[] { 0, 1 }, [1, 1, 2]);
        using var loss = SegmentationLoss.DiceCrossEntropy(logits, target);
        Assert.InRange(loss.item<float>(), 0, 1e-4);
    }
}
