using Streaming.Evaluation.Features;
using Streaming.Evaluation.Knn;
using Streaming.Imaging.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests;

public class AnnTests
{
    /// <summary>A volume whose voxels carry noisy copies of 12 class prototypes (16-d); the class is the label.</summary>
    private static (FeaturePyramid Pyramid, byte[] Labels) Case(Int3 s, float[,] prototypes, int seed)
    {
        var rng = new System.Random(seed);
        int d = prototypes.GetLength(1), classes = prototypes.GetLength(0);
        var data = new float[d * s.Volume];
        var labels = new byte[s.Volume];
        for (var i = 0; i < s.Volume; i++)
        {
            // Labels in slabs along x so that every class covers many voxels and the key grid sees all of them.
            var c = (int)(i % s.X * classes / s.X);
            labels[i] = (byte)c;
            for (var k = 0; k < d; k++) data[k * s.Volume + i] = prototypes[c, k] + (float)(0.9 * Gauss(rng));
        }
        return (new FeaturePyramid([tensor(data, [d, s.Z, s.Y, s.X])], [new Int3(1, 1, 1)], s, s), labels);
    }

    private static double Gauss(System.Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static float[,] Prototypes(int classes, int d)
    {
        var rng = new System.Random(1);
        var p = new float[classes, d];
        for (var c = 0; c < classes; c++) for (var k = 0; k < d; k++) p[c, k] = (float)(1.0 * Gauss(rng));
        return p;
    }

    [Fact]
    public void Approximate_knn_agrees_with_exact_knn_on_at_least_99_percent_of_voxels()
    {
        var protos = Prototypes(12, 16);
        var s = new Int3(40, 32, 16);
        var atlases = Enumerable.Range(0, 3).Select(i => Case(s, protos, 10 + i)).ToList();
        using var query = Case(s, protos, 99).Pyramid;
        var ivfOptions = new NeighbourIndexOptions { Kind = NeighbourIndexKind.Ivf, Lists = 48, Probes = 5, Seed = 3 };
        using var exact = KnnSegmenter.Build(atlases.Select(a => (a.Pyramid, a.Labels)), k: 21, keyEvery: 2, index: new NeighbourIndexOptions { Kind = NeighbourIndexKind.Exact });
        using var approx = KnnSegmenter.Build(atlases.Select(a => (a.Pyramid, a.Labels)), k: 21, keyEvery: 2, index: ivfOptions);
        Assert.Equal(3 * 20 * 16 * 8, exact.KeyCount);
        var e = exact.Predict(query, queryEvery: 2);
        var a = approx.Predict(query, queryEvery: 2);
        Assert.Equal("exact", exact.LastSearch);
        Assert.Equal("ivf", approx.LastSearch);
        var agree = e.Zip(a).Count(t => t.First == t.Second) / (double)e.Length;
        Assert.True(agree >= 0.99, $"labels agree on {agree:P2} of voxels");
        // The task is not trivial: exact kNN itself is imperfect, so agreement is not just both being right.
        var truth = Case(s, protos, 99).Labels;
        var correct = e.Zip(truth).Count(t => t.First == t.Second) / (double)e.Length;
        Assert.InRange(correct, 0.5, 0.999);
        foreach (var p in atlases) p.Pyramid.Dispose();
    }

    [Fact]
    public void Ivf_neighbours_recall_exact_neighbours_and_every_key_sits_in_one_cell()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var centres = randn([40, 8]).mul(3.0.ToScalar());
        var keys = centres.index_select(0, randint(40, [3000], dtype: ScalarType.Int64)).add(randn([3000, 8]), 1.0.ToScalar());
        var queries = centres.index_select(0, randint(40, [300], dtype: ScalarType.Int64)).add(randn([300, 8]), 1.0.ToScalar());
        using var exact = new ExactIndex(keys);
        using var ivf = IvfIndex.Build(keys, new NeighbourIndexOptions { Lists = 40, Probes = 8, Seed = 1 });
        Assert.Equal(3000, ivf.ListSizes.Sum());
        Assert.Equal(40, ivf.Lists);
        var te = exact.Search(queries, 10).data<long>().ToArray();
        var ta = ivf.Search(queries, 10).data<long>().ToArray();
        var hits = 0;
        for (var q = 0; q < 300; q++) hits += te.Skip(q * 10).Take(10).Intersect(ta.Skip(q * 10).Take(10)).Count();
        Assert.True(hits / 3000.0 >= 0.95, $"recall@10 {hits / 3000.0:P1}");
        // One probe of 1,500 cells scans a handful of keys and still finds most neighbours (the speed-up), and one cell can hold fewer
        // than k keys: such rows fall back to exact search, so every answer is k distinct valid keys.
        using var narrow = IvfIndex.Build(keys, new NeighbourIndexOptions { Lists = 1500, Probes = 1, Seed = 1 });
        var tn = narrow.Search(queries, 10).data<long>().ToArray();
        for (var q = 0; q < 300; q++) Assert.Equal(10, tn.Skip(q * 10).Take(10).Distinct().Count(k => k >= 0 && k < 3000));
        // Same seed, same index.
        using var again = IvfIndex.Build(keys, new NeighbourIndexOptions { Lists = 40, Probes = 8, Seed = 1 });
        Assert.Equal(ta, again.Search(queries, 10).data<long>().ToArray());
    }

    [Fact]
    public void Euclidean_and_cosine_differ_when_norms_carry_information()
    {
        // Keys: label 1 at (1, 0), label 2 at (10, 0.5). Query (9, 0): Euclidean picks label 2, cosine label 1.
        var s = new Int3(2, 1, 1);
        using var train = new FeaturePyramid([tensor(new float[] { 1, 10, 0, 0.5f }, [2, 1, 1, 2])], [new Int3(1, 1, 1)], s, s);
        using var query = new FeaturePyramid([tensor(new float[] { 9, 0 }, [2, 1, 1, 1])], [new Int3(1, 1, 1)], new Int3(1, 1, 1), new Int3(1, 1, 1));
        byte[] labels = [1, 2];
        using (var euclid = KnnSegmenter.Build([(train, labels)], k: 1, keyEvery: 1, metric: KnnMetric.Euclidean)) Assert.Equal(2, euclid.Predict(query)[0]);
        using (var cosine = KnnSegmenter.Build([(train, labels)], k: 1, keyEvery: 1, metric: KnnMetric.Cosine)) Assert.Equal(1, cosine.Predict(query)[0]);
    }
}
