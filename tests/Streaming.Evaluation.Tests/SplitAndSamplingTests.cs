using Streaming.Evaluation.Data;
using Streaming.Evaluation.Features;
using Streaming.Evaluation.Training;
using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Tests;

public class SplitAndSamplingTests
{
    [Fact]
    public void Kfold_holds_every_case_out_exactly_once_and_is_seeded()
    {
        var ids = Enumerable.Range(0, 10).Select(i => $"D/c{i}").ToList();
        var folds = KFold.Split(ids, 3, seed: 4);
        Assert.Equal(3, folds.Count);
        Assert.Equal(ids.Order(), folds.SelectMany(f => f.Test).Order());
        foreach (var f in folds) Assert.Empty(f.Train.Intersect(f.Test));
        Assert.Equal(new[] { 4, 3, 3 }, folds.Select(f => f.Test.Count));
        // Same folds whatever order the ids come in; another seed gives other folds.
        Assert.Equal(folds.Select(f => f.Test), KFold.Split(Enumerable.Reverse(ids), 3, seed: 4).Select(f => f.Test));
        Assert.NotEqual(folds[0].Test, KFold.Split(ids, 3, seed: 5)[0].Test);
        Assert.Throws<ArgumentException>(() => KFold.Split(ids.Take(2), 3, 0));
    }

    [Fact]
    public void Window_starts_overlap_by_half_and_end_flush()
    {
        Assert.Equal(new[] { 0, 32, 64, 96, 104 }, SlidingWindow.Starts(168, 64, 0.5, 8));
        Assert.Equal(new[] { 0 }, SlidingWindow.Starts(40, 64, 0.5, 8));
        Assert.Equal(new[] { 0, 16 }, SlidingWindow.Starts(48, 32, 0.5, 8));
    }

    [Fact]
    public void Patches_are_stride_aligned_and_half_of_them_contain_foreground()
    {
        var shape = new Int3(40, 40, 20);
        var labels = new byte[shape.Volume];
        labels[shape.Index(33, 5, 17)] = 7; // one foreground voxel in a corner
        var padded = new Int3(40, 40, 24);
        var sampler = new PatchSampler(labels, shape, padded, foregroundFraction: 0.5);
        var rng = new Random(1);
        var size = new Int3(16, 16, 8);
        int hits = 0, n = 2000;
        for (var i = 0; i < n; i++)
        {
            var o = sampler.Next(rng, size, new Int3(8, 8, 8));
            Assert.True(o.X % 8 == 0 && o.Y % 8 == 0 && o.Z % 8 == 0, $"origin {o} not aligned");
            Assert.True(o.X + size.X <= padded.X && o.Y + size.Y <= padded.Y && o.Z + size.Z <= padded.Z);
            if (o.X <= 33 && 33 < o.X + size.X && o.Y <= 5 && 5 < o.Y + size.Y && o.Z <= 17 && 17 < o.Z + size.Z) hits++;
        }
        // Every foreground-centred patch holds the voxel; uniform ones rarely do (about 1/3 * 1/3 * 1/3 of them here).
        Assert.InRange(hits / (double)n, 0.5, 0.62);
    }
}
