using Streaming.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Supervised;

public class ClassConditionalSimSiamLossTests
{
    [Theory]
    [InlineData(PairAggregation.Mean, true)]
    [InlineData(PairAggregation.Sum, true)]
    [InlineData(PairAggregation.Mean, false)]
    [InlineData(PairAggregation.Sum, false)]
    public void Equals_the_brute_force_sum_over_all_same_class_pairs(PairAggregation aggregation, bool weighted)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(3);
        const int v = 23, d = 5, classes = 4;   // class 3 absent
        var p = randn([v, d], generator: gen);
        var z = randn([v, d], generator: gen);
        var labels = new long[v];
        for (var i = 0; i < v; i++) labels[i] = i % 7 == 0 ? 2 : i % 3; // uneven class sizes (2: 4 voxels)
        var loss = ClassConditionalSimSiamLoss.Loss(p, z, tensor(labels), classes, aggregation, weighted).item<float>();
        var expected = BruteForce(ToArray(p), ToArray(z), labels, classes, aggregation, weighted);
        Assert.Equal(expected, loss, Math.Abs(expected) * 1e-5 + 1e-5);
        if (aggregation == PairAggregation.Mean) Assert.InRange(loss, weighted ? -1 : -3, weighted ? 1 : 3);
    }

    [Fact]
    public void Gradient_flows_to_p_only_and_aligned_classes_reach_the_minimum()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var p = randn([12, 4], generator: gen).requires_grad_(true);
        var z = randn([12, 4], generator: gen).requires_grad_(true);
        var labels = tensor(Enumerable.Range(0, 12).Select(i => (long)(i % 3)).ToArray());
        ClassConditionalSimSiamLoss.Loss(p, z, labels, 3).backward();
        Assert.True(p.grad!.abs().sum().item<float>() > 0);
        Assert.Null(z.grad); // stop-gradient on z

        // Every voxel of a class pointing the same way (p and z alike): mean form gives -Σ w_c = -1.
        var dirs = eye(3).index_select(0, labels).mul(2.5.ToScalar());
        Assert.Equal(-1f, ClassConditionalSimSiamLoss.Loss(dirs, dirs, labels, 3).item<float>(), 5);
        // The literal sum grows with the class size squared: 3 classes of 4 voxels, weights 1/3 each -> -16.
        Assert.Equal(-16f, ClassConditionalSimSiamLoss.Loss(dirs, dirs, labels, 3, PairAggregation.Sum).item<float>(), 4);
    }

    [Fact]
    public void Class_weights_are_normalised_inverse_frequencies_of_the_classes_present()
    {
        // |P| = 10: class 0 has 6 voxels, class 1 has 3, class 2 has 1, class 3 none.
        // inverse frequencies 10/6, 10/3, 10 (sum 15) -> 1/9, 2/9, 6/9; absent class 0.
        using var counts = tensor(new float[] { 6, 3, 1, 0 });
        using var w = ClassConditionalSimSiamLoss.InverseFrequencyWeights(counts);
        var got = w.data<float>().ToArray();
        Assert.Equal([1 / 9f, 2 / 9f, 6 / 9f, 0f], got, new FloatTolerance(1e-6f));
    }

    /// <summary>Direct O(N²) double loop over every ordered pair (i, j) of the same class, i = j included.</summary>
    internal static double BruteForce(float[,] p, float[,] z, long[] labels, int classes, PairAggregation aggregation, bool weighted)
    {
        int v = labels.Length, d = p.GetLength(1);
        double Norm(float[,] a, int i) => Math.Sqrt(Enumerable.Range(0, d).Sum(k => (double)a[i, k] * a[i, k]));
        var counts = new long[classes];
        foreach (var l in labels) counts[l]++;
        var inverse = counts.Select(n => n > 0 ? (double)v / n : 0).ToArray();
        var total = 0.0;
        for (var c = 0; c < classes; c++)
        {
            if (counts[c] == 0) continue;
            var sum = 0.0;
            for (var i = 0; i < v; i++)
                for (var j = 0; j < v; j++)
                {
                    if (labels[i] != c || labels[j] != c) continue;
                    double dot = 0;
                    for (var k = 0; k < d; k++) dot += (double)p[i, k] * z[j, k];
                    sum += dot / (Norm(p, i) * Norm(z, j));
                }
            if (aggregation == PairAggregation.Mean) sum /= (double)counts[c] * counts[c];
            total += (weighted ? inverse[c] / inverse.Sum() : 1) * sum;
        }
        return -total;
    }

    internal static float[,] ToArray(Tensor t)
    {
        var rows = (int)t.shape[0]; var cols = (int)t.shape[1];
        var flat = t.detach().contiguous().data<float>().ToArray();
        var a = new float[rows, cols];
        for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) a[i, j] = flat[i * cols + j];
        return a;
    }

    internal sealed class FloatTolerance(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(float f) => 0;
    }
}
