using Streaming.Imaging.Volumes;
using Streaming.Sampling.Pairs;
using Streaming.Synth.InMemory;

namespace Streaming.Sampling.Tests;

public class PairCorrespondenceTests
{
    private static int At(float[] views, int pair, Int3 p, int z, int y, int x) =>
        (int)views[pair * (int)p.Volume + (int)p.Index(x, y, z)];

    [Fact]
    public void PositivePairsAreTheSameVolumeVoxelInsideBodyAndOverlap()
    {
        var (stores, infos, open) = TestVolumes.Four();
        var bodies = stores.ToDictionary(s => s.Info.Id, s => Body(s));
        using var src = new Vox2VecPairSource(infos, open, TestVolumes.Options());
        for (var step = 0; step < 5; step++)
        {
            var b = src.Batch(step);
            var p = b.PatchShape;
            Assert.Equal(6, b.Pairs);
            for (var pair = 0; pair < b.Pairs; pair++)
            {
                var shape = infos.Single(i => i.Id == b.VolumeIds[pair]).Shape;
                Int3? offA = null, offB = null;
                for (var k = 0; k < b.PositionsPerPair; k++)
                {
                    var o = (pair * b.PositionsPerPair + k) * 3;
                    int za = b.PositionsA[o], ya = b.PositionsA[o + 1], xa = b.PositionsA[o + 2];
                    int zb = b.PositionsB[o], yb = b.PositionsB[o + 1], xb = b.PositionsB[o + 2];
                    Assert.True(p.Contains(new Int3(xa, ya, za)) && p.Contains(new Int3(xb, yb, zb)), "position outside its patch");
                    var va = At(b.ViewsA, pair, p, za, ya, xa);
                    var vb = At(b.ViewsB, pair, p, zb, yb, xb);
                    Assert.Equal(va, vb); // the same physical voxel: the value is the voxel's own index
                    var v = Unindex(va, shape);
                    Assert.Equal(1, bodies[b.VolumeIds[pair]][va]);
                    // Pure-offset mapping: every position of a pair implies the same view origin.
                    var oa = v - new Int3(xa, ya, za);
                    var ob = v - new Int3(xb, yb, zb);
                    Assert.Equal(offA ??= oa, oa);
                    Assert.Equal(offB ??= ob, ob);
                }
                // Both views overlap (share at least the anchor) and m distinct positions were available.
                var distinct = Enumerable.Range(0, b.PositionsPerPair)
                    .Select(k => At(b.ViewsA, pair, p, b.PositionsA[(pair * b.PositionsPerPair + k) * 3], b.PositionsA[(pair * b.PositionsPerPair + k) * 3 + 1], b.PositionsA[(pair * b.PositionsPerPair + k) * 3 + 2]))
                    .Distinct().Count();
                Assert.Equal(b.PositionsPerPair, distinct);
            }
        }
    }

    [Fact]
    public void VolumeThinnerThanThePatchIsPaddedAndPositionsStayCorrect()
    {
        var s = TestVolumes.Encoded("thin", "X", new Int3(30, 28, 5));
        var (infos, open) = TestVolumes.Set(s);
        using var src = new Vox2VecPairSource(infos, open, TestVolumes.Options() with { VolumesPerBatch = 1 });
        var b = src.Batch(0);
        var p = b.PatchShape;
        var padded = b.ViewsA.Take((int)p.Volume).Count(v => v == -1024f);
        Assert.True(padded >= 3 * 16 * 16, $"the 8-deep patch of a 5-deep volume must hold >= 3 padded slices, got {padded} voxels");
        for (var k = 0; k < b.Pairs * b.PositionsPerPair; k++)
        {
            var a = At(b.ViewsA, k / b.PositionsPerPair, p, b.PositionsA[3 * k], b.PositionsA[3 * k + 1], b.PositionsA[3 * k + 2]);
            var c = At(b.ViewsB, k / b.PositionsPerPair, p, b.PositionsB[3 * k], b.PositionsB[3 * k + 1], b.PositionsB[3 * k + 2]);
            Assert.Equal(a, c);
            Assert.InRange(a, 0, (int)s.Info.Shape.Volume - 1);
        }
    }

    [Fact]
    public void AVolumeIsDrawnOncePerBatchWhenEnoughExist()
    {
        var (_, infos, open) = TestVolumes.Four();
        using var src = new Vox2VecPairSource(infos, open, TestVolumes.Options() with { VolumesPerBatch = 4, PairsPerVolume = 1 });
        for (var step = 0; step < 6; step++)
            Assert.Equal(4, src.Batch(step).VolumeIds.Distinct().Count());
    }

    [Fact]
    public void ReferenceCodeModeDrawsAllPairsFromOneVolume()
    {
        var (_, infos, open) = TestVolumes.Four();
        using var src = new Vox2VecPairSource(infos, open, TestVolumes.Options() with { VolumesPerBatch = 1, PairsPerVolume = 5 });
        var b = src.Batch(3);
        Assert.Equal(5, b.Pairs);
        Assert.Single(b.VolumeIds.Distinct());
    }

    private static byte[] Body(ChunkStore s)
    {
        var shape = s.Info.Shape;
        var img = new float[shape.Volume];
        var body = new byte[shape.Volume];
        using var v = s.Open();
        v.ReadRegion(default, shape, img, body);
        return body;
    }

    private static Int3 Unindex(int i, Int3 s) => new(i % s.X, i / s.X % s.Y, i / (s.X * s.Y));
}

public class CleanViewTests
{
    [Fact]
    public void AugmentedViewsAreInUnitRangeAndCleanViewsAreTheFixedWindowOfTheSameCrop()
    {
        var (_, infos, open) = TestVolumes.Four();
        var o = TestVolumes.Options(augment: true) with { IncludeClean = true };
        using var aug = new Vox2VecPairSource(infos, open, o);
        using var raw = new Vox2VecPairSource(infos, open, TestVolumes.Options(augment: false));
        var b = aug.Batch(2);
        var r = raw.Batch(2);
        Assert.Equal(r.PositionsA, b.PositionsA); // augmentation never moves the crops
        Assert.All(b.ViewsA, v => Assert.InRange(v, 0f, 1f));
        Assert.All(b.ViewsB, v => Assert.InRange(v, 0f, 1f));
        // Clean = clip((raw + 1350) / 2350, 0, 1): the encoded voxel values are 0..28799 HU-like numbers.
        for (var i = 0; i < r.ViewsA.Length; i += 97)
            Assert.Equal(Math.Clamp((r.ViewsA[i] + 1350f) / 2350f, 0f, 1f), b.CleanA![i], 1e-6f);
        Assert.False(b.CleanA.AsSpan().SequenceEqual(b.ViewsA));
    }
}
