using Streaming.Ingest.Preprocess;
using Streaming.Ingest.Volumes;

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
