using Streaming.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Supervised;

public class SupervisedInfoNceTests
{
    [Fact]
    public void Equals_a_direct_loop_over_anchors_and_positives()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(11);
        const int m = 14, anchors = 9, d = 6;
        const double t = 0.2;
        var e = randn([m, d], generator: gen);
        var labels = new long[] { 0, 0, 1, 2, 1, 0, 3, 1, 0, 2, 0, 1, 1, 0 }; // anchor 6 (class 3) has no positive
        var loss = SupervisedInfoNce.Loss(e, tensor(labels), anchors, t).item<float>();

        var x = ClassConditionalSimSiamLossTests.ToArray(nn.functional.normalize(e, dim: 1));
        double Sim(int i, int j) => Enumerable.Range(0, d).Sum(k => (double)x[i, k] * x[j, k]) / t;
        double total = 0; var counted = 0;
        for (var i = 0; i < anchors; i++)
        {
            var others = Enumerable.Range(0, m).Where(j => j != i).ToList();
            var positives = others.Where(j => labels[j] == labels[i]).ToList();
            if (positives.Count == 0) continue;
            var lse = Math.Log(others.Sum(j => Math.Exp(Sim(i, j))));
            total += -positives.Average(j => Sim(i, j) - lse);
            counted++;
        }
        Assert.Equal(total / counted, loss, 4);
    }

    [Fact]
    public void Separated_classes_score_lower_than_mixed_ones()
    {
        using var scope = NewDisposeScope();
        var labels = tensor(new long[] { 0, 1, 0, 1, 0, 1 });
        var separated = tensor(new float[] { 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1 }, [6, 2]);
        var mixed = tensor(new float[] { 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1 }, [6, 2]);
        Assert.True(SupervisedInfoNce.Loss(separated, labels, 6, 0.1).item<float>() < SupervisedInfoNce.Loss(mixed, labels, 6, 0.1).item<float>());
    }
}
