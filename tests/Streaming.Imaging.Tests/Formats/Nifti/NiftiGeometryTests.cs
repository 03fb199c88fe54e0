using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Tests;
using static Streaming.Imaging.Tests.Formats.Nifti.NiftiTestVolumes;

namespace Streaming.Imaging.Tests.Formats.Nifti;

/// <summary>Which header fields decide the geometry, with hand-computed LPS results.</summary>
public sealed class NiftiGeometryTests
{
    private static readonly NiftiHeader Blank = new()
    {
        Dim = [3, 4, 3, 2, 1, 1, 1, 1], DataTypeCode = (int)NiftiDataType.Int16, BitPix = 16, VoxOffset = 352,
    };

    [Fact]
    public void Qform_only_file_uses_quaternion_qfac_and_qoffset()
    {
        using var tmp = new TempDir();
        var path = tmp.Path("q.nii.gz");
        // 90 degrees about z: b = c = 0, d = sin(45°). qfac = -1 reverses the third axis.
        var h = Blank with
        {
            QformCode = 1,
            SformCode = 0,
            QuaternD = Math.Sqrt(0.5),
            QOffsetX = 10,
            QOffsetY = 20,
            QOffsetZ = 30,
            PixDim = [-1, 2, 3, 4, 1, 1, 1, 1],
        };
        NiftiTestFiles.Write(path, h, new short[24]);

        var g = NiftiReader.Read(path).Volume.Geometry;
        // RAS rotation [[0,-1,0],[1,0,0],[0,0,1]], third column negated, then x and y rows negated for LPS.
        AssertGeometry(new VolumeGeometry(new Int3(4, 3, 2), new Vec3(2, 3, 4), new Vec3(-10, -20, 30),
            new Mat3(0, 1, 0, -1, 0, 0, 0, 0, -1)), g);
        // Voxel (1, 0, 0) is 2 mm along RAS +y from the qoffset: RAS (10, 22, 30) = LPS (-10, -22, 30).
        var p = g.IndexToPhysical(1, 0, 0);
        Assert.Equal(-10, p.X, 6); Assert.Equal(-22, p.Y, 6); Assert.Equal(30, p.Z, 6);
    }

    [Fact]
    public void Pixdim_only_file_follows_method_1_of_the_standard()
    {
        using var tmp = new TempDir();
        var path = tmp.Path("p.nii");
        var h = Blank with { QformCode = 0, SformCode = 0, PixDim = [1, 0.5, 0.75, 2, 1, 1, 1, 1], QuaternB = 0.3, SRowX = [9, 9, 9, 9] };
        NiftiTestFiles.Write(path, h, new short[24]);

        var image = NiftiReader.Read(path);
        Assert.Equal("pixdim", image.Metadata["geometry_source"]);
        // RAS = pixdim ∘ index with origin 0; in LPS that is direction diag(-1, -1, 1). Ignored fields stay ignored.
        AssertGeometry(new VolumeGeometry(new Int3(4, 3, 2), new Vec3(0.5, 0.75, 2), new Vec3(0, 0, 0),
            new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, 1)), image.Volume.Geometry);
    }

    [Fact]
    public void Sform_wins_over_a_different_qform_and_the_qform_is_used_without_it()
    {
        using var tmp = new TempDir();
        var sformGeometry = Geometry(Oblique());
        var qformGeometry = new VolumeGeometry(Shape, Spacing, new Vec3(1, 2, 3), Mat3.Identity);
        var q = NiftiTestFiles.HeaderFor(qformGeometry);
        var both = NiftiTestFiles.HeaderFor(sformGeometry, new NiftiWriteOptions { SformCode = 2 }) with
        {
            QformCode = 1,
            QuaternB = q.QuaternB,
            QuaternC = q.QuaternC,
            QuaternD = q.QuaternD,
            QOffsetX = q.QOffsetX,
            QOffsetY = q.QOffsetY,
            QOffsetZ = q.QOffsetZ,
            PixDim = q.PixDim,
        };
        NiftiTestFiles.Write(tmp.Path("both.nii"), both, new short[Shape.Volume]);
        NiftiTestFiles.Write(tmp.Path("qonly.nii"), both with { SformCode = 0 }, new short[Shape.Volume]);

        var fromBoth = NiftiReader.Read(tmp.Path("both.nii"));
        Assert.Equal("sform", fromBoth.Metadata["geometry_source"]);
        AssertGeometry(sformGeometry, fromBoth.Volume.Geometry);
        AssertGeometry(qformGeometry, NiftiReader.Read(tmp.Path("qonly.nii")).Volume.Geometry);
    }

    [Fact]
    public void Sheared_sform_falls_back_to_the_qform_and_fails_without_one()
    {
        using var tmp = new TempDir();
        var g = Geometry(Mat3.Identity);
        var sheared = NiftiTestFiles.HeaderFor(g) with { SRowX = [-0.75, 0.5, 0, 100.5] }; // column 1 gains an x part
        NiftiTestFiles.Write(tmp.Path("shear-q.nii"), sheared, new short[Shape.Volume]);
        NiftiTestFiles.Write(tmp.Path("shear.nii"), sheared with { QformCode = 0 }, new short[Shape.Volume]);

        var image = NiftiReader.Read(tmp.Path("shear-q.nii"));
        Assert.Equal("qform", image.Metadata["geometry_source"]);
        Assert.Contains("sform ignored", image.Metadata["geometry_note"]);
        AssertGeometry(g, image.Volume.Geometry);
        var e = Assert.Throws<InvalidDataException>(() => NiftiReader.Read(tmp.Path("shear.nii")));
        Assert.Contains(tmp.Path("shear.nii"), e.Message);
        Assert.Contains("no qform", e.Message);
    }

    [Fact]
    public void Trailing_unit_dimensions_are_a_3D_volume()
    {
        using var tmp = new TempDir();
        var h = Blank with { Dim = [5, 4, 3, 2, 1, 1, 1, 1], PixDim = [1, 1, 1, 1, 1, 1, 1, 1] };
        NiftiTestFiles.Write(tmp.Path("5d.nii"), h, Enumerable.Range(0, 24).Select(i => (short)i).ToArray());
        var v = NiftiReader.Read(tmp.Path("5d.nii")).Volume;
        Assert.Equal(new Int3(4, 3, 2), v.Shape);
        Assert.Equal(23f, v[3, 2, 1]);
    }

    [Fact]
    public void Quaternion_conversion_is_exact_for_the_standard_rotations()
    {
        // 180 degrees about z (the RAS form of LPS-identity) has a = 0, which float noise must not break.
        var r = NiftiGeometry.QuaternionToMatrix(0, 0, 1);
        Assert.True(r.ApproximatelyEquals(new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, 1), 1e-12));
        var (b, c, d) = NiftiGeometry.MatrixToQuaternion(new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, 1));
        Assert.Equal((0.0, 0.0, 1.0), (b, c, d));
        var o = Oblique();
        var q = NiftiGeometry.MatrixToQuaternion(o);
        Assert.True(NiftiGeometry.QuaternionToMatrix(q.B, q.C, q.D).ApproximatelyEquals(o, 1e-12));
    }
}
