using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Prefetch;
using Streaming.Sampling.Slices;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Tests.Slices;

public class SliceSourceTests
{
    private static SliceSamplingOptions Options(long seed = 7, bool augment = true, int shift = 2, int slices = 4, int window = 16) => new()
    {
        VolumesPerBatch = 2, SlicesPerVolume = slices, SliceShape = new PlaneShape(window, window), MaxShift = shift, Seed = seed,
        Augmentations = new AugmentationOptions { Enabled = augment },
    };

    private static void Same(SliceBatch x, SliceBatch y)
    {
        Assert.Equal(x.Step, y.Step);
        Assert.Equal(x.VolumeIds, y.VolumeIds);
        Assert.Equal(x.Positions, y.Positions);
        Assert.True(x.ViewsA.AsSpan().SequenceEqual(y.ViewsA), $"step {x.Step}: views A differ");
        Assert.True(x.ViewsB.AsSpan().SequenceEqual(y.ViewsB), $"step {x.Step}: views B differ");
        Assert.Equal(x.BytesDecoded, y.BytesDecoded);
    }

    /// <summary>Voxel values are their own linear index (TestVolumes): a view's first voxel names its window.</summary>
    private static (int X, int Y, int Z) Voxel(Int3 shape, float value)
    {
        var i = (long)value;
        return ((int)(i % shape.X), (int)(i / shape.X % shape.Y), (int)(i / ((long)shape.X * shape.Y)));
    }

    [Fact]
    public void EachItemIsTwoShiftedWindowsOfItsSliceAndAVolumesSlicesShareTheirWindow()
    {
        var (stores, infos, open) = TestVolumes.Four();
        var shapes = stores.ToDictionary(s => s.Info.Id, s => s.Info.Shape);
        using var src = new SliceSource(infos, open, Options(augment: false));
        for (var step = 0; step < 6; step++)
        {
            var b = src.Batch(step);
            Assert.Equal(8, b.Items);
            Assert.Equal(8, b.VolumeIds.Length);
            Assert.NotEqual(b.VolumeIds[0], b.VolumeIds[4]); // two different volumes
            for (var v = 0; v < 2; v++)
            {
                var items = Enumerable.Range(v * 4, 4).ToList();
                var shape = shapes[b.VolumeIds[items[0]]];
                Assert.All(items, i => Assert.Equal(b.VolumeIds[items[0]], b.VolumeIds[i]));
                Assert.All(items, i => Assert.Equal(shape.Z, b.Positions[i].Count));
                Assert.Equal(4, items.Select(i => b.Positions[i].Index).Distinct().Count()); // distinct slices, ascending
                Assert.Equal(items.Select(i => b.Positions[i].Index).Order(), items.Select(i => b.Positions[i].Index));
                var starts = new List<(int X, int Y)>();
                foreach (var i in items)
                    foreach (var view in new[] { b.ViewsA, b.ViewsB })
                    {
                        var w = view.AsSpan(i * 256, 256);
                        var (x, y, z) = Voxel(shape, w[0]);
                        Assert.Equal(b.Positions[i].Index, z);
                        // The window is a plain 16 x 16 crop of the slice (no padding: every test volume is wider than 16 + 2 x 2).
                        Assert.Equal(shape.Index(x + 15, y + 15, z), (long)w[255]);
                        starts.Add((x, y));
                    }
                // One window per volume, each view shifted by at most 2 voxels: all starts within 4 of each other.
                Assert.InRange(starts.Max(s => s.X) - starts.Min(s => s.X), 0, 4);
                Assert.InRange(starts.Max(s => s.Y) - starts.Min(s => s.Y), 0, 4);
                Assert.True(starts.Distinct().Count() > 1, "views must be shifted");
            }
            Assert.All(b.Positions, p => Assert.Equal((double)p.Index / p.Count, p.Relative));
        }
    }

    [Fact]
    public void AVolumeSmallerThanTheWindowIsCentredAndPadded()
    {
        var store = TestVolumes.Encoded("small", "X", new Int3(10, 12, 8));
        var other = TestVolumes.Encoded("other", "X", new Int3(10, 12, 8));
        var (infos, open) = TestVolumes.Set(store, other);
        using var src = new SliceSource(infos, open, Options(augment: false, shift: 0));
        var b = src.Batch(0);
        var view = b.ViewsA.AsSpan(0, 256);
        // x: 6 of padding split 3 before, 3 after; y: 4 split 2 and 2.
        Assert.Equal(-1024f, view[0]);
        Assert.Equal(-1024f, view[2 * 16 + 2]);
        Assert.Equal(store.Info.Shape.Index(0, 0, b.Positions[0].Index), (long)view[2 * 16 + 3]);
        Assert.Equal(-1024f, view[2 * 16 + 13]);
    }

    [Fact]
    public void EveryReadStaysInOneChunkLayerAndNoLayerIsReadTwiceForAVolume()
    {
        var (stores, infos, _) = TestVolumes.Four();
        var byId = stores.ToDictionary(s => s.Info.Id);
        var log = new List<(string Id, Int3 Origin, Int3 Size, RegionReadStats Stats)>();
        using var src = new SliceSource(infos, i => new Recording(byId[i.Id].Open(), log), Options(slices: 8));
        var b = src.Batch(3);
        Assert.All(log, r => Assert.Equal(r.Origin.Z / 4, (r.Origin.Z + r.Size.Z - 1) / 4));
        foreach (var g in log.GroupBy(r => r.Id))
            Assert.Equal(g.Count(), g.Select(r => r.Origin.Z / 4).Distinct().Count());
        // 8 slices of a 12..24-slice volume share layers: fewer reads than slices.
        Assert.True(log.Count < 16, $"{log.Count} reads for 16 slices");
        Assert.Equal(log.Sum(r => r.Stats.BytesDecoded), b.BytesDecoded);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BatchesAreTheSameForAnyWorkerCountAndAfterARestart(int workers)
    {
        var (_, infos, open) = TestVolumes.Four();
        using var seqSrc = new SliceSource(infos, open, Options());
        var expected = Enumerable.Range(0, 10).Select(k => seqSrc.Batch(k)).ToList();
        using (var src = new SliceSource(infos, open, Options()))
        using (var stream = PrefetchStream.Start(src, 0, new PrefetchOptions { Workers = workers, Capacity = 4 }))
            for (var k = 0; k < 10; k++) Same(expected[k], stream.Take());
        // A restart at step 6 (a fresh source, as a resumed run makes) continues exactly.
        using var resumed = new SliceSource(infos, open, Options());
        using var again = PrefetchStream.Start(resumed, 6, new PrefetchOptions { Workers = workers, Capacity = 4 });
        for (var k = 6; k < 10; k++) Same(expected[k], again.Take());
        // Another seed gives other batches.
        using var other = new SliceSource(infos, open, Options(seed: 8));
        Assert.NotEqual(expected[0].Positions, other.Batch(0).Positions);
    }

    [Fact]
    public void ACorruptVolumeIsSkippedTheSameWayForAnyWorkerCount()
    {
        var all = Enumerable.Range(0, 64).ToHashSet();
        var (_, infos, open) = TestVolumes.Four(all);
        using var src = new SliceSource(infos, open, Options());
        var seq = Enumerable.Range(0, 10).Select(k => src.Batch(k)).ToList();
        Assert.Equal("b", Assert.Single(src.Ledger.Snapshot()).VolumeId);
        Assert.All(seq.Skip(1), b => Assert.DoesNotContain("b", b.VolumeIds));
        foreach (var workers in new[] { 1, 3 })
        {
            var (_, infos2, open2) = TestVolumes.Four(all);
            using var src2 = new SliceSource(infos2, open2, Options());
            using var stream = PrefetchStream.Start(src2, 0, new PrefetchOptions { Workers = workers, Capacity = 6 });
            for (var k = 0; k < 10; k++) Same(seq[k], stream.Take());
            Assert.Equal(src.Ledger.Snapshot(), src2.Ledger.Snapshot());
        }
    }

    [Fact]
    public void AugmentationChangesTheViewsButNotWhatWasDrawn()
    {
        var (_, infos, open) = TestVolumes.Four();
        using var plain = new SliceSource(infos, open, Options(augment: false));
        using var augmented = new SliceSource(infos, open, Options(augment: true));
        var p = plain.Batch(2); var a = augmented.Batch(2);
        Assert.Equal(p.Positions, a.Positions);
        Assert.Equal(p.VolumeIds, a.VolumeIds);
        Assert.False(p.ViewsA.AsSpan().SequenceEqual(a.ViewsA));
        Assert.All(a.ViewsA, v => Assert.InRange(v, 0f, 1f)); // windowed to [0, 1]
    }

    [Fact]
    public void IndicesAreDistinctUniformAndWithReplacementOnlyWhenTheVolumeIsShort()
    {
        var counts = new int[10];
        var into = new int[4];
        for (var k = 0; k < 5000; k++)
        {
            var rng = new Random.RandomKey((ulong)k).Stream();
            SliceSource.DrawIndices(ref rng, 10, into);
            Assert.Equal(4, into.Distinct().Count());
            foreach (var i in into) counts[i]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 1800, 2200)); // 5000 x 4 / 10 = 2000 each
        var r2 = new Random.RandomKey(1).Stream();
        var few = new int[6];
        SliceSource.DrawIndices(ref r2, 3, few);
        Assert.All(few, i => Assert.InRange(i, 0, 2));
    }

    private sealed class Recording(IShardVolume inner, List<(string, Int3, Int3, RegionReadStats)> log) : IShardVolume
    {
        public ShardVolumeInfo Info => inner.Info;
        public RegionReadStats ReadRegion(Int3 origin, Int3 size, Span<float> image, Span<byte> body, Span<byte> labels = default)
        {
            var s = inner.ReadRegion(origin, size, image, body, labels);
            lock (log) log.Add((inner.Info.Id, origin, size, s));
            return s;
        }
        public void Dispose() => inner.Dispose();
    }
}
