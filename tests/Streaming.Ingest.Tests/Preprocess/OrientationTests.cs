using Streaming.Ingest.Preprocess;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Tests.Preprocess;

public class OrientationTests
{
    private static readonly Vec3 Ex = new(1, 0, 0), Ey = new(0, 1, 0), Ez = new(0, 0, 1);

    /// <summary>Unique value per input voxel, so where it lands is unambiguous.</summary>
    private static float Code(int x, int y, int z) => x + 10 * y + 100 * z;

    [Fact]
    public void FlippedXY_LikeNifti_LandsMirroredAndKeepsPhysicalPositions()
    {
        // NIfTI RAS volumes arrive in LPS with direction diag(-1, -1, 1).
        var g = new VolumeGeometry(new Int3(4, 3, 2), new Vec3(1, 2, 3), new Vec3(50, 40, -7), Mat3.FromColumns(Ex * -1, Ey * -1, Ez));
        var v = VolumeFactory.FromIndex(g, Code);
        var r = Resampler.Resample(v, null, g.Spacing, -1);
        var o = r.Image.Geometry;
        Assert.Equal(Mat3.Identity, o.Direction);
        Assert.Equal(new Int3(4, 3, 2), o.Shape);
        // Canonical voxel 0 is input voxel (3, 2, 0) at 50 - 3*1, 40 - 2*2, -7.
        VolumeFactory.AssertVec(new Vec3(47, 36, -7), o.Origin);
        Assert.Equal(Code(3, 2, 0), r.Image[0, 0, 0]);
        Assert.Equal(Code(0, 0, 1), r.Image[3, 2, 1]);
        Assert.Equal(Code(2, 0, 1), r.Image[1, 2, 1]);
        AssertEveryVoxelKeepsPosition(v, r.Image);
    }

    [Fact]
    public void PermutedAndFlipped_Sagittal_LandsAtExpectedIndex()
    {
        // Input i runs posterior→anterior (-y), j runs superior→inferior (-z), k runs right→left (+x).
        var g = new VolumeGeometry(new Int3(5, 4, 3), new Vec3(0.5, 2, 3), new Vec3(-20, 30, 100), Mat3.FromColumns(Ey * -1, Ez * -1, Ex));
        var v = VolumeFactory.FromIndex(g, Code);
        var r = Resampler.Resample(v, null, new Vec3(3, 0.5, 2), -1);
        var o = r.Image.Geometry;
        // Canonical x ← input k (3 voxels, 3 mm), y ← input i reversed (5, 0.5 mm), z ← input j reversed (4, 2 mm).
        Assert.Equal(new Int3(3, 5, 4), o.Shape);
        Assert.Equal(new Vec3(3, 0.5, 2), o.Spacing);
        // Voxel (i, j, k) lands at (k, 4 - i, 3 - j).
        for (var k = 0; k < 3; k++)
            for (var j = 0; j < 4; j++)
                for (var i = 0; i < 5; i++)
                    Assert.Equal(Code(i, j, k), r.Image[k, 4 - i, 3 - j]);
        AssertEveryVoxelKeepsPosition(v, r.Image);
    }

    [Fact]
    public void PermutedFlippedAndResampled_ReproducesLinearField()
    {
        var g = new VolumeGeometry(new Int3(9, 7, 6), new Vec3(0.8, 1.1, 1.6), new Vec3(3, -4, 12), Mat3.FromColumns(Ez * -1, Ex, Ey * -1));
        static double F(Vec3 p) => 1.5 * p.X + 2.5 * p.Y - 4 * p.Z + 11;
        var r = Resampler.Resample(VolumeFactory.FromPhysical(g, F), null, new Vec3(1, 1, 1), -1);
        var o = r.Image.Geometry;
        // x ← j (6 mm extent), y ← k reversed (8 mm), z ← i reversed (6.4 mm).
        Assert.Equal(new Int3(7, 9, 7), o.Shape);
        for (var z = 0; z < o.Shape.Z; z++)
            for (var y = 0; y < o.Shape.Y; y++)
                for (var x = 0; x < o.Shape.X; x++)
                    Assert.Equal(F(o.IndexToPhysical(x, y, z)), r.Image[x, y, z], 1e-3);
    }

    [Fact]
    public void NearlyAlignedDirection_IsTreatedAsPermutation()
    {
        var tiny = VolumeFactory.Rotation(new Vec3(0, 0, 1), 2e-4); // 0.011°: scanner rounding, not a real tilt
        var g = new VolumeGeometry(new Int3(4, 4, 2), new Vec3(1, 1, 1), new Vec3(0, 0, 0), tiny);
        var r = Resampler.Resample(VolumeFactory.FromIndex(g, Code), null, g.Spacing, -1);
        Assert.Equal(g.Shape, r.Image.Shape);
        Assert.Equal(Code(3, 2, 1), r.Image[3, 2, 1]);
    }

    /// <summary>Same spacing, so every output voxel is one input voxel: find it by value, compare positions.</summary>
    private static void AssertEveryVoxelKeepsPosition(Volume<float> input, Volume<float> output)
    {
        var where = new Dictionary<float, Vec3>();
        var gi = input.Geometry;
        for (var z = 0; z < gi.Shape.Z; z++)
            for (var y = 0; y < gi.Shape.Y; y++)
                for (var x = 0; x < gi.Shape.X; x++)
                    where[input[x, y, z]] = gi.IndexToPhysical(x, y, z);
        var go = output.Geometry;
        Assert.Equal(input.Data.Length, output.Data.Length);
        for (var z = 0; z < go.Shape.Z; z++)
            for (var y = 0; y < go.Shape.Y; y++)
                for (var x = 0; x < go.Shape.X; x++)
                    VolumeFactory.AssertVec(where[output[x, y, z]], go.IndexToPhysical(x, y, z));
    }
}
