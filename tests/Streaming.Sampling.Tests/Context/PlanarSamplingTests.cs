using Streaming.Imaging.Volumes;
using Streaming.Sampling.Context;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Tests.Context;

public class PlanarSamplingTests
{
    private static readonly Int3 Shape = new(9, 7, 6);

    private static float[] Volume()
    {
        var rng = new System.Random(3);
        return Enumerable.Range(0, (int)Shape.Volume).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    /// <summary>Textbook trilinear interpolation at voxel coordinates (x, y, z), border-clamped.</summary>
    private static double Direct(float[] v, double x, double y, double z)
    {
        x = Math.Clamp(x, 0, Shape.X - 1); y = Math.Clamp(y, 0, Shape.Y - 1); z = Math.Clamp(z, 0, Shape.Z - 1);
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y), z0 = (int)Math.Floor(z);
        double sum = 0;
        for (var dz = 0; dz < 2; dz++)
            for (var dy = 0; dy < 2; dy++)
                for (var dx = 0; dx < 2; dx++)
                {
                    int xi = Math.Min(x0 + dx, Shape.X - 1), yi = Math.Min(y0 + dy, Shape.Y - 1), zi = Math.Min(z0 + dz, Shape.Z - 1);
                    double w = (dx == 1 ? x - x0 : 1 - (x - x0)) * (dy == 1 ? y - y0 : 1 - (y - y0)) * (dz == 1 ? z - z0 : 1 - (z - z0));
                    sum += w * v[Shape.Index(xi, yi, zi)];
                }
        return sum;
    }

    private static double Vox(double p, int n) => (p + 1) / 2 * (n - 1);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Planar_patch_equals_direct_trilinear_interpolation(int normal)
    {
        var v = Volume();
        // 5x5 samples over 0.9 and 3 planes over 0.2, centred off-grid; part of the patch lies outside (clamped).
        var grid = SampleGrid.Planar(new Vec3(0.31, -0.47, 0.73), normal, 5, 0.9, 3, 0.2);
        var (origin, size) = TrilinearSampler.Region(grid, Shape);
        var region = new float[size.Volume];
        for (var z = 0; z < size.Z; z++) for (var y = 0; y < size.Y; y++) for (var x = 0; x < size.X; x++)
            region[size.Index(x, y, z)] = v[Shape.Index(origin.X + x, origin.Y + y, origin.Z + z)];
        Assert.True(size.Volume < Shape.Volume); // only part of the volume is needed
        var fromRegion = new float[grid.Count];
        TrilinearSampler.Sample(region, origin, size, Shape, grid, fromRegion);
        var fromWhole = new float[grid.Count];
        TrilinearSampler.Sample(v, default, Shape, Shape, grid, fromWhole);
        Assert.Equal(fromWhole, fromRegion);

        var (u, w) = SampleGrid.InPlaneAxes(normal);
        var i = 0;
        for (var p = 0; p < 3; p++)
            for (var r = 0; r < 5; r++)
                for (var c = 0; c < 5; c++)
                {
                    var pt = new double[] { 0.31, -0.47, 0.73 };
                    pt[normal] += 0.2 * (p / 2.0 - 0.5);
                    pt[w] += 0.9 * (r / 4.0 - 0.5);
                    pt[u] += 0.9 * (c / 4.0 - 0.5);
                    var expected = Direct(v, Vox(pt[0], Shape.X), Vox(pt[1], Shape.Y), Vox(pt[2], Shape.Z));
                    Assert.Equal(expected, fromRegion[i++], 5);
                }
    }

    [Fact]
    public void A_linear_volume_is_reproduced_exactly_inside()
    {
        var v = new float[Shape.Volume];
        for (var z = 0; z < Shape.Z; z++) for (var y = 0; y < Shape.Y; y++) for (var x = 0; x < Shape.X; x++)
            v[Shape.Index(x, y, z)] = 2f * x - 3f * y + 0.5f * z + 1;
        var grid = SampleGrid.Cube(new Vec3(0.1, -0.2, 0.05), 4, 0.6);
        var outp = new float[grid.Count];
        TrilinearSampler.Sample(v, default, Shape, Shape, grid, outp);
        var i = 0;
        for (var z = 0; z < 4; z++) for (var y = 0; y < 4; y++) for (var x = 0; x < 4; x++)
        {
            double px = Vox(0.1 + 0.6 * (x / 3.0 - 0.5), Shape.X), py = Vox(-0.2 + 0.6 * (y / 3.0 - 0.5), Shape.Y), pz = Vox(0.05 + 0.6 * (z / 3.0 - 0.5), Shape.Z);
            Assert.Equal(2 * px - 3 * py + 0.5 * pz + 1, outp[i++], 4);
        }
    }

    [Fact]
    public void A_region_too_small_for_the_grid_is_refused()
    {
        var grid = SampleGrid.Cube(new Vec3(0, 0, 0), 3, 0.5);
        var (origin, size) = TrilinearSampler.Region(grid, Shape);
        var small = new Int3(size.X - 2, size.Y, size.Z);
        Assert.Throws<ArgumentException>(() => TrilinearSampler.Sample(new float[small.Volume], origin, small, Shape, grid, new float[grid.Count]));
    }

    [Fact]
    public void Curriculum_bounds_hold_at_the_first_and_the_last_step()
    {
        var o = new ContextSamplingOptions();
        Assert.Equal((0.25, 0.3), o.Curriculum.Bounds(0, 1000));
        Assert.Equal((0.0, 0.7), o.Curriculum.Bounds(999, 1000));
        var (midLo, midHi) = o.Curriculum.Bounds(333, 1000);
        Assert.InRange(midLo, 0.166, 0.167); Assert.InRange(midHi, 0.433, 0.434);

        var root = RandomKey.FromSeed(5);
        double firstMin = 1, firstMax = 0, lastMin = 1, lastMax = 0;
        bool negative = false, positive = false;
        for (var n = 0; n < 2000; n++)
        {
            var rng = root.With(n).Stream();
            var anchor = ContextDraws.Anchor(ref rng, o);
            Assert.All(anchor.ToArray(), a => Assert.InRange(a, -0.5, 0.5));
            var first = ContextDraws.Planar(ref rng, anchor, n % 3, 0, 1000, o);
            var last = ContextDraws.Planar(ref rng, anchor, n % 3, 999, 1000, o);
            foreach (var d in new[] { first.D1, first.D2 }) { firstMin = Math.Min(firstMin, Math.Abs(d)); firstMax = Math.Max(firstMax, Math.Abs(d)); negative |= d < 0; positive |= d > 0; }
            foreach (var d in new[] { last.D1, last.D2 }) { lastMin = Math.Min(lastMin, Math.Abs(d)); lastMax = Math.Max(lastMax, Math.Abs(d)); }
            Assert.InRange(Math.Abs(first.NormalShift), 0.125, 0.25);
            // The partner is the anchor moved by exactly (shift, d1, d2) along (normal, u, v).
            var (u, v) = SampleGrid.InPlaneAxes(first.Normal);
            Assert.Equal(anchor[first.Normal] + first.NormalShift, first.Center[first.Normal], 12);
            Assert.Equal(anchor[u] + first.D1, first.Center[u], 12);
            Assert.Equal(anchor[v] + first.D2, first.Center[v], 12);
        }
        Assert.InRange(firstMin, 0.25, 0.252); Assert.InRange(firstMax, 0.298, 0.3);
        Assert.InRange(lastMin, 0, 0.002); Assert.InRange(lastMax, 0.698, 0.7);
        Assert.True(negative && positive);
    }

    [Fact]
    public void Doersch_partner_is_one_side_away_toward_its_face_with_bounded_jitter()
    {
        var o = new ContextSamplingOptions();
        var seen = new int[6];
        for (var n = 0; n < 600; n++)
        {
            var rng = RandomKey.FromSeed(9).With(n).Stream();
            var anchor = ContextDraws.Anchor(ref rng, o);
            var p = ContextDraws.Cube(ref rng, anchor, o);
            seen[p.Neighbour]++;
            var d = p.Center - anchor;
            for (var a = 0; a < 3; a++)
            {
                var expected = a == p.Neighbour / 2 ? (p.Neighbour % 2 == 0 ? -0.4 : 0.4) : 0;
                Assert.InRange(d[a] - expected, -0.05, 0.05);
            }
        }
        Assert.All(seen, c => Assert.InRange(c, 60, 140));
    }
}
