using Streaming.Imaging.Volumes;
using Streaming.Sampling.Context;

namespace Streaming.Sampling.Tests.Context;

public class ContextSourceTests
{
    private static double Vox(double p, int n) => NormalizedFrame.ToVoxel(p, n);

    // Test volumes hold their linear voxel index (x + X y + X Y z); this window maps it linearly to [0, 1].
    private const double W = 40000;
    private static readonly ContextSamplingOptions Geometry = new() { WindowMin = 0, WindowMax = W };

    [Fact]
    public void Planar_batches_are_a_pure_function_of_seed_and_step()
    {
        var (_, infos, open) = TestVolumes.Four();
        using var a = new PlanarPairSource(infos, open, Geometry with { Pairs = 3, CurriculumSteps = 100, Seed = 5 });
        using var b = new PlanarPairSource(infos, open, Geometry with { Pairs = 3, CurriculumSteps = 100, Seed = 5 });
        var x = a.Batch(7);
        _ = b.Batch(3); // another step first: no hidden sequential state
        var y = b.Batch(7);
        Assert.Equal(x.Anchors, y.Anchors);
        Assert.Equal(x.Partners, y.Partners);
        Assert.Equal(x.Offsets, y.Offsets);
        Assert.Equal(x.VolumeIds, y.VolumeIds);
        Assert.NotEqual(x.Offsets, a.Batch(8).Offsets);
        Assert.Equal(3 * 3 * 3 * 42 * 42, x.Anchors.Length);
        Assert.True(x.BytesDecoded > 0);
    }

    [Fact]
    public void Partners_sit_where_the_offsets_say_and_only_their_regions_are_read()
    {
        var (stores, infos, open) = TestVolumes.Four();
        using var source = new PlanarPairSource(infos, open, Geometry with { Pairs = 4, CurriculumSteps = 100, Seed = 2 });
        var batch = source.Batch(0);
        var byId = infos.ToDictionary(i => i.Id);
        int s = batch.PatchSize, pv = batch.PatchValues;
        for (var n = 0; n < 3; n++)
            for (var p = 0; p < 4; p++)
            {
                var shape = byId[batch.VolumeIds[p]].Shape;
                // On a linear volume the mean of the middle plane's 4 central samples is the value at the patch centre.
                double Centre(float[] a)
                {
                    var o = (n * 4 + p) * pv + s * s; // plane 1 of 3
                    int r = s / 2 - 1;
                    return (a[o + r * s + r] + a[o + r * s + r + 1] + a[o + (r + 1) * s + r] + a[o + (r + 1) * s + r + 1]) / 4.0 * W;
                }
                var (u, v) = SampleGrid.InPlaneAxes(n);
                var delta = new double[3];
                delta[u] = batch.Offsets[2 * (n * 4 + p)];
                delta[v] = batch.Offsets[2 * (n * 4 + p) + 1];
                delta[n] = batch.NormalShifts[n * 4 + p];
                Assert.InRange(Math.Abs(delta[u]), 0.25, 0.3); // step 0: the curriculum's start
                // Normalised → voxels: (N - 1) / 2 per unit.
                double expected = delta[0] * (shape.X - 1) / 2 + shape.X * delta[1] * (shape.Y - 1) / 2 + shape.X * shape.Y * delta[2] * (shape.Z - 1) / 2;
                Assert.Equal(expected, Centre(batch.Partners) - Centre(batch.Anchors), 0);
            }
        // Each patch reads its slab, not the volume: far less than 24 whole-volume reads were decoded.
        var wholeBytes = infos.Where(i => batch.VolumeIds.Contains(i.Id)).Sum(i => i.Shape.Volume * 2);
        Assert.True(batch.BytesDecoded < 24 * wholeBytes / 2, $"{batch.BytesDecoded} bytes decoded");
    }

    [Fact]
    public void A_corrupt_volume_is_skipped_and_recorded()
    {
        var (_, infos, open) = TestVolumes.Four(corruptInB: Enumerable.Range(0, 1000).ToHashSet());
        using var source = new PlanarPairSource(infos, open, Geometry with { Pairs = 4, CurriculumSteps = 10, Seed = 1 });
        for (var step = 0; step < 6; step++) Assert.DoesNotContain("b", source.Batch(step).VolumeIds);
        Assert.Contains(source.Ledger.Snapshot(), e => e.VolumeId == "b");
    }

    [Fact]
    public void Doersch_partner_cube_lies_toward_its_face()
    {
        var (_, infos, open) = TestVolumes.Four();
        using var source = new CubePairSource(infos, open, Geometry with { Pairs = 6, Seed = 3 });
        var byId = infos.ToDictionary(i => i.Id);
        for (var step = 0; step < 3; step++)
        {
            var b = source.Batch(step);
            int cv = b.CubeSize * b.CubeSize * b.CubeSize, c = b.CubeSize / 2;
            var centre = (c * b.CubeSize + c) * b.CubeSize + c; // odd size: a sample sits at the centre
            for (var p = 0; p < 6; p++)
            {
                var shape = byId[b.VolumeIds[p]].Shape;
                var k = (int)b.Neighbours[p];
                var a = new Vec3(b.Centers[p * 6], b.Centers[p * 6 + 1], b.Centers[p * 6 + 2]);
                var q = new Vec3(b.Centers[p * 6 + 3], b.Centers[p * 6 + 4], b.Centers[p * 6 + 5]);
                var d = q - a;
                Assert.InRange((k % 2 == 0 ? -1 : 1) * d[k / 2], 0.35, 0.45);
                // The centre samples are the linear volume's value at the (border-clamped) centres.
                double At(Vec3 c) => Vox(c.X, shape.X) + shape.X * Vox(c.Y, shape.Y) + (double)shape.X * shape.Y * Vox(c.Z, shape.Z);
                Assert.Equal(At(a), b.Anchors[p * cv + centre] * W, 1);
                Assert.Equal(At(q), b.Partners[p * cv + centre] * W, 1);
            }
        }
    }
}
