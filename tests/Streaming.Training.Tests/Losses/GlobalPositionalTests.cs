using Streaming.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Losses;

public class GlobalPositionalTests
{
    [Fact]
    public void MatchesHandComputedCaseWithOnePositivePair()
    {
        // z0 = (1, 0), z1 = (0.6, 0.8), z2 = (0, 1) at positions 0, 0.05, 0.5; theta = 0.1, t = 0.5.
        // Positives: 0 <-> 1 only; anchor 2 has none and is left out of the mean.
        // Logits (dot / t): 0-1 1.2, 0-2 0, 1-2 1.6.
        // anchor 0: -(1.2 - ln(e^1.2 + e^0)) = 0.2632825;  anchor 1: -(1.2 - ln(e^1.2 + e^1.6)) = 0.9130153
        using var z = tensor(new float[] { 1, 0, 0.6f, 0.8f, 0, 1 }, [3, 2]);
        double expected = (Math.Log(Math.Exp(1.2) + 1) - 1.2 + Math.Log(Math.Exp(1.2) + Math.Exp(1.6)) - 1.2) / 2;
        using var loss = GlobalPositional.Loss(z, [0, 0.05, 0.5], 0.1, 0.5);
        Assert.Equal(0.588148859868992, expected, 9);
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void AveragesOverSeveralPositivesPerAnchor()
    {
        // z0 = (1, 0), z1 = (0.6, 0.8), z2 = (0.8, 0.6), z3 = (-1, 0) at 0, 0.02, 0.05, 0.9; theta = 0.1, t = 0.5.
        // Logits: 01 1.2, 02 1.6, 03 -2, 12 1.92, 13 -1.2, 23 -1.6. Anchors 0, 1, 2 (3 has no positive).
        // anchor 0 (positives 1, 2): ln(e^1.2 + e^1.6 + e^-2) - (1.2 + 1.6) / 2 = 0.7292413
        // anchor 1 (0, 2): ln(e^1.2 + e^1.92 + e^-1.2) - (1.2 + 1.92) / 2 = 0.7858620
        // anchor 2 (0, 1): ln(e^1.6 + e^1.92 + e^-1.6) - (1.6 + 1.92) / 2 = 0.7228952
        using var z = tensor(new float[] { 1, 0, 0.6f, 0.8f, 0.8f, 0.6f, -1, 0 }, [4, 2]);
        double L(double p, double q, double r, double pos) => Math.Log(Math.Exp(p) + Math.Exp(q) + Math.Exp(r)) - pos;
        double expected = (L(1.2, 1.6, -2, 1.4) + L(1.2, 1.92, -1.2, 1.56) + L(1.6, 1.92, -1.6, 1.76)) / 3;
        Assert.Equal(0.7459994902874669, expected, 9);
        using var loss = GlobalPositional.Loss(z, [0, 0.02, 0.05, 0.9], 0.1, 0.5);
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void PositivesCrossSubjectsAndTheGradientPullsThemTogether()
    {
        using var scope = NewDisposeScope();
        var raw = randn([6, 8], generator: new Generator(9)).requires_grad_(true);
        var z = nn.functional.normalize(raw, dim: 1);
        // Positions of two subjects' slices; 0 <-> 3 and 1 <-> 4 are close across subjects.
        double[] positions = [0.1, 0.5, 0.9, 0.12, 0.52, 0.3];
        var loss = GlobalPositional.Loss(z, positions, 0.1, 0.1);
        loss.backward();
        var before = (z[0] * z[3]).sum().item<float>();
        using (no_grad()) raw.sub_(raw.grad!.mul(0.05));
        var after = nn.functional.normalize(raw, dim: 1);
        Assert.True((after[0] * after[3]).sum().item<float>() > before, "a gradient step must bring cross-subject positives closer");
        Assert.True(raw.grad!.select(0, 5).abs().sum().item<float>() > 0, "a slice without positives is still a negative for the others");
    }
}
