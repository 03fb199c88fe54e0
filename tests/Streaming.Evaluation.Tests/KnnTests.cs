using Streaming.Evaluation.Features;
using Streaming.Evaluation.Knn;
using Streaming.Imaging.Volumes;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests;

public class KnnTests
{
    /// <summary>A one-level pyramid whose voxel features are given per voxel by <paramref name="feature"/>.</summary>
    private static FeaturePyramid Pyramid(Int3 s, Func<int, int, int, float[]> feature)
    {
        var c = feature(0, 0, 0).Length;
        var data = new float[c * s.Volume];
        for (var z = 0; z < s.Z; z++) for (var y = 0; y < s.Y; y++) for (var x = 0; x < s.X; x++)
        {
            var f = feature(x, y, z);
            for (var k = 0; k < c; k++) data[k * s.Volume + s.Index(x, y, z)] = f[k];
        }
        return new FeaturePyramid([tensor(data, [c, s.Z, s.Y, s.X])], [new Int3(1, 1, 1)], s, s);
    }

    [Fact]
    public void Labels_follow_features_not_positions()
    {
        var s = new Int3(8, 8, 8);
        // Training volume: left half has feature (1, 0) and label 1, right half (0, 1) and label 2.
        using var train = Pyramid(s, (x, _, _) => x < 4 ? [1f, 0.1f] : [0.1f, 1f]);
        var labels = new byte[s.Volume];
        for (var z = 0; z < 8; z++) for (var y = 0; y < 8; y++) for (var x = 0; x < 8; x++) labels[s.Index(x, y, z)] = (byte)(x < 4 ? 1 : 2);
        using var knn = KnnSegmenter.Build([(train, labels)], k: 21, keyEvery: 2);
        Assert.Equal(64, knn.KeyCount); // every 2nd voxel along each axis: 4x4x4

        // Query volume with the halves swapped: the labels must swap too.
        using var query = Pyramid(s, (x, _, _) => x < 4 ? [0.1f, 1f] : [1f, 0.1f]);
        var pred = knn.Predict(query);
        for (var z = 0; z < 8; z++) for (var y = 0; y < 8; y++) for (var x = 0; x < 8; x++)
            Assert.Equal(x < 4 ? 2 : 1, pred[s.Index(x, y, z)]);
    }

    [Fact]
    public void Majority_of_k_neighbours_decides()
    {
        // Keys along a line at features (cos a, sin a). Labels: 3 keys of class 1 near a = 0, 2 keys of class 2 nearer still.
        var s = new Int3(5, 1, 1);
        double[] angles = [0.30, 0.31, 0.32, 0.02, 0.03];
        byte[] labels = [1, 1, 1, 2, 2];
        using var train = Pyramid(s, (x, _, _) => [(float)Math.Cos(angles[x]), (float)Math.Sin(angles[x])]);
        using var query = Pyramid(new Int3(1, 1, 1), (_, _, _) => [1f, 0f]);
        using (var k1 = KnnSegmenter.Build([(train, labels)], k: 1, keyEvery: 1)) Assert.Equal(2, k1.Predict(query)[0]);
        using (var k5 = KnnSegmenter.Build([(train, labels)], k: 5, keyEvery: 1)) Assert.Equal(1, k5.Predict(query)[0]);
    }

    [Fact]
    public void Coarse_query_grid_fills_blocks()
    {
        var s = new Int3(6, 4, 2);
        using var p = Pyramid(s, (x, _, _) => x < 3 ? [1f, 0f] : [0f, 1f]);
        var labels = new byte[s.Volume];
        for (var i = 0; i < labels.Length; i++) labels[i] = (byte)(i % 6 < 3 ? 1 : 2);
        using var knn = KnnSegmenter.Build([(p, labels)], k: 3, keyEvery: 1);
        var pred = knn.Predict(p, queryEvery: 2);
        // Query voxels x = 0, 2, 4 → labels 1, 1, 2, each copied to x and x+1.
        Assert.Equal(new byte[] { 1, 1, 1, 1, 2, 2 }, pred[..6]);
    }
}
