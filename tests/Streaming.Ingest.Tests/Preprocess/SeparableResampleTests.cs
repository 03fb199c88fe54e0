using Streaming.Ingest.Preprocess;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Tests.Preprocess;

public class SeparableResampleTests
{
    private static Volume<float> Row(float[] values, double spacing) =>
        new(VolumeGeometry.Axial(new Int3(values.Length, 1, 1), new Vec3(spacing, 1, 1)), values);

    [Fact]
    public void Ramp1D_Upsampled_InterpolatesExactly()
    {
        // 0, 10, 20, 30, 40 at 1 mm → 0.5 mm: n_out = floor(4 * 1 / 0.5) + 1 = 9 samples of 5 * x_mm * 2.
        var r = Resampler.Resample(Row([0, 10, 20, 30, 40], 1), null, new Vec3(0.5, 1, 1), -1);
        Assert.Equal(new Int3(9, 1, 1), r.Image.Shape);
        Assert.Equal([0f, 5, 10, 15, 20, 25, 30, 35, 40], r.Image.Data);
    }

    [Fact]
    public void TwoTimesDownsample_TakesEveryOtherSample()
    {
        // 7 samples at 1 mm span 6 mm → at 2 mm: floor(6 / 2) + 1 = 4 samples at 0, 2, 4, 6 mm.
        var r = Resampler.Resample(Row([3, 1, 4, 1, 5, 9, 2], 1), null, new Vec3(2, 1, 1), -1);
        Assert.Equal([3f, 4, 5, 2], r.Image.Data);
        Assert.Equal(new Vec3(2, 1, 1), r.Image.Geometry.Spacing);
    }

    [Fact]
    public void NonIntegerFactor_BlendsNeighbours()
    {
        // 1 mm → 1.5 mm over 4 mm: floor(4 / 1.5) + 1 = 3 samples at 0, 1.5, 3 mm → 3, (1+4)/2, 1.
        var r = Resampler.Resample(Row([3, 1, 4, 1, 5], 1), null, new Vec3(1.5, 1, 1), -1);
        Assert.Equal(3, r.Image.Shape.X);
        Assert.Equal(3f, r.Image.Data[0]);
        Assert.Equal(2.5f, r.Image.Data[1], 6);
        Assert.Equal(1f, r.Image.Data[2]);
    }

    [Fact]
    public void Ramp3D_MatchesLinearFieldAtEveryOutputVoxel()
    {
        var g = VolumeGeometry.Axial(new Int3(23, 17, 11), new Vec3(0.7, 0.8, 1.25), new Vec3(-10, 5, 30));
        static double F(Vec3 p) => 2 * p.X - 3 * p.Y + 0.5 * p.Z + 7;
        var r = Resampler.Resample(VolumeFactory.FromPhysical(g, F), null, new Vec3(1, 1, 2), -1);
        // floor(22*0.7/1)+1 = 16, floor(16*0.8/1)+1 = 13, floor(10*1.25/2)+1 = 7.
        Assert.Equal(new Int3(16, 13, 7), r.Image.Shape);
        VolumeFactory.AssertVec(g.Origin, r.Image.Geometry.Origin);
        var og = r.Image.Geometry;
        for (var z = 0; z < 7; z++)
            for (var y = 0; y < 13; y++)
                for (var x = 0; x < 16; x++)
                    Assert.Equal(F(og.IndexToPhysical(x, y, z)), r.Image[x, y, z], 1e-3);
    }

    [Fact]
    public void SameSpacingIdentityDirection_IsAnExactCopyNotAlias()
    {
        var g = VolumeGeometry.Axial(new Int3(4, 3, 2), new Vec3(1, 1, 2));
        var v = VolumeFactory.FromIndex(g, (x, y, z) => (float)(x * 100 + y * 10 + z + 0.123));
        var r = Resampler.Resample(v, null, new Vec3(1, 1, 2), -1);
        Assert.Equal(v.Data, r.Image.Data);
        Assert.NotSame(v.Data, r.Image.Data);
    }

    [Fact]
    public void Parallel_EqualsSequential()
    {
        var g = VolumeGeometry.Axial(new Int3(30, 20, 12), new Vec3(0.7, 0.9, 1.3));
        var v = VolumeFactory.FromIndex(g, (x, y, z) => (float)Math.Sin(x * 0.3 + y * 0.7 + z));
        var a = Resampler.Resample(v, null, new Vec3(1, 1, 2), -1, 1);
        var b = Resampler.Resample(v, null, new Vec3(1, 1, 2), -1, 4);
        Assert.Equal(a.Image.Data, b.Image.Data);
    }
}

/// <summary>The slice-by-slice fused path must give the pass-by-pass path's bits (same arithmetic, same order).</summary>
public class FusedSeparableResampleTests
{
    private static float[] Noise(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 4000 - 2000);
        return a;
    }

    [Theory]
    // CT-like: z shrinks most (z first, then y, x in the plane), with and without the CT clamp.
    [InlineData(23, 19, 17, 0.7, 0.7, 1.25, 1.0, 1.0, 2.0, true, false, false)]
    [InlineData(23, 19, 17, 0.7, 0.7, 1.25, 1.0, 1.0, 2.0, false, false, false)]
    // flipped x and z are folded into the sample tables
    [InlineData(20, 21, 9, 0.8, 0.9, 3.0, 1.0, 1.0, 5.0, true, true, true)]
    // z untouched, only the plane resampled
    [InlineData(16, 12, 5, 0.5, 0.7, 2.0, 1.0, 1.0, 2.0, true, false, false)]
    // z shrinks, the plane is upsampled (the in-plane intermediate is larger than an input slice)
    [InlineData(10, 9, 12, 2.0, 3.0, 1.0, 1.0, 1.0, 2.0, true, true, false)]
    // only z resampled
    [InlineData(8, 8, 12, 1.0, 1.0, 1.0, 1.0, 1.0, 2.5, true, false, true)]
    public void Fused_equals_pass_by_pass_bit_for_bit(int nx, int ny, int nz, double sx, double sy, double sz,
        double tx, double ty, double tz, bool clamp, bool flipX, bool flipZ)
    {
        var shape = new Int3(nx, ny, nz);
        var src = Noise((int)shape.Volume, nx * 7 + nz);
        var s = new[]
        {
            AxisSamples.Linear(nx, sx, (int)Math.Floor((nx - 1) * sx / tx + 1e-6) + 1, tx, flipX),
            AxisSamples.Linear(ny, sy, (int)Math.Floor((ny - 1) * sy / ty + 1e-6) + 1, ty, false),
            AxisSamples.Linear(nz, sz, (int)Math.Floor((nz - 1) * sz / tz + 1e-6) + 1, tz, flipZ),
        };
        InputClamp? c = clamp ? new InputClamp(-1024, 1500) : null;
        var fused = SeparableResampler.Resample(src, shape, s, c, 1, CancellationToken.None, fuse: true);
        var plain = SeparableResampler.Resample(src, shape, s, c, 1, CancellationToken.None, fuse: false);
        Assert.Equal(s[0].Count * s[1].Count * s[2].Count, fused.Length);
        Assert.Equal(plain, fused);
        var parallel = SeparableResampler.Resample(src, shape, s, c, 3, CancellationToken.None, fuse: true);
        Assert.Equal(plain, parallel);
    }

    [Fact]
    public void Fused_ct_case_interpolates_a_linear_field_exactly()
    {
        // v = x + 10 y + 100 z (index units) on a 9x7x11 grid at 0.5x0.5x1 mm → 1x1x2 mm: output (i, j, k) sits at
        // input index (2i, 2j, 2k), so it must hold 2i + 20j + 200k (small integers: exact in float).
        var shape = new Int3(9, 7, 11);
        var src = new float[shape.Volume];
        for (var z = 0; z < 11; z++) for (var y = 0; y < 7; y++) for (var x = 0; x < 9; x++) src[shape.Index(x, y, z)] = x + 10 * y + 100 * z;
        var s = new[] { AxisSamples.Linear(9, 0.5, 5, 1, false), AxisSamples.Linear(7, 0.5, 4, 1, false), AxisSamples.Linear(11, 1, 6, 2, false) };
        var r = SeparableResampler.Resample(src, shape, s, null, 1, CancellationToken.None);
        var o = new Int3(5, 4, 6);
        Assert.Equal(o.Volume, r.Length);
        for (var k = 0; k < 6; k++) for (var j = 0; j < 4; j++) for (var i = 0; i < 5; i++)
            Assert.Equal(2 * i + 20 * j + 200 * k, r[o.Index(i, j, k)]);
    }
}
