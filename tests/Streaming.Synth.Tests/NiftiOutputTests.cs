using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;
using Streaming.Synth.Output;
using Streaming.Tests;

namespace Streaming.Synth.Tests;

public class NiftiOutputTests
{
    public static TheoryData<NiftiConvention> Conventions() =>
    [
        NiftiConvention.Default,
        new(1, 2, 0, false, false, NiftiDataType.Int16, 1, 0),       // sform only
        new(1, 0, 1, true, false, NiftiDataType.Int16, 1, -1024),    // qform only, x flipped, HU + 1024 stored
        new(2, 1, 1, true, true, NiftiDataType.Int16, 1, 0),         // NIfTI-2, x and y flipped
        new(1, 1, 2, false, true, NiftiDataType.Float32, 1, 0),
    ];

    [Theory]
    [MemberData(nameof(Conventions))]
    public void WrittenHeadersReadBackWithTheGeometryWeWrote(NiftiConvention convention)
    {
        using var dir = new TempDir();
        var ph = PhantomGenerator.Generate(21, Modality.CT, SynthSize.Small, FieldOfView.Abdomen);
        var stored = convention.Apply(ph.Image);
        var storedLabels = convention.Apply(ph.Labels);
        var imagePath = dir.Path("img.nii.gz"); var labelPath = dir.Path("lab.nii.gz");
        NiftiWriter.Write(imagePath, stored, convention.ImageOptions(1, "test"));
        NiftiWriter.Write(labelPath, storedLabels, convention.LabelOptions(1));

        var header = NiftiReader.ReadHeader(imagePath);
        Assert.Equal(convention.Version, header.Version);
        Assert.Equal(convention.SformCode, header.SformCode);
        Assert.Equal(convention.QformCode, header.QformCode);
        Assert.Equal((int)convention.ImageType, header.DataTypeCode);

        var image = NiftiReader.Read(imagePath).Volume;
        var labels = NiftiReader.ReadLabels(labelPath);
        AssertGeometry(stored.Geometry, image.Geometry);
        AssertGeometry(stored.Geometry, labels.Geometry);
        // Integer HU survive int16 (with or without scl_inter) exactly.
        Assert.True(stored.Data.AsSpan().SequenceEqual(image.Data));
        Assert.True(storedLabels.Data.AsSpan().SequenceEqual(labels.Data));
        // A flip keeps anatomy in place: the voxel holding the liver centre's physical point still is liver.
        var liverCentre = Centroid(ph.Labels, PhantomLabels.Liver);
        var idx = image.Geometry.PhysicalToIndex(liverCentre);
        Assert.Equal(PhantomLabels.Liver, labels[(int)Math.Round(idx.X), (int)Math.Round(idx.Y), (int)Math.Round(idx.Z)]);
        if (convention.FlipX) Assert.True(image.Geometry.Direction.M00 < 0, "x flipped: first direction column points to patient right");
    }

    [Theory]
    [InlineData(NiftiDataType.UInt16, 0.5)]
    [InlineData(NiftiDataType.Float32, 1.0)]
    [InlineData(NiftiDataType.Int16, 1.0)]
    public void MriConventionsReadBackExactly(NiftiDataType type, double slope)
    {
        using var dir = new TempDir();
        var ph = PhantomGenerator.Generate(6, Modality.MR, SynthSize.Small, FieldOfView.Abdomen);
        var convention = new NiftiConvention(1, 1, 1, false, true, type, slope, 0);
        var stored = convention.Apply(ph.Image);
        NiftiWriter.Write(dir.Path("mr.nii.gz"), stored, convention.ImageOptions(1, "mr"));
        var back = NiftiReader.Read(dir.Path("mr.nii.gz")).Volume;
        // MRI values are non-negative integers; uint16 stores 2v under scl_slope 0.5, so every type is exact.
        Assert.True(stored.Data.All(v => v >= 0 && v == MathF.Round(v)));
        Assert.True(stored.Data.AsSpan().SequenceEqual(back.Data));
    }

    [Fact]
    public void FlipKeepsEveryVoxelAtItsPhysicalPlace()
    {
        var g = new VolumeGeometry(new Int3(3, 2, 2), new Vec3(2, 3, 4), new Vec3(10, 20, 30), Mat3.Identity);
        var v = new Volume<float>(g, Enumerable.Range(0, 12).Select(i => (float)i).ToArray());
        var f = GridFlip.Flip(v, 0);
        Assert.Equal(new Vec3(14, 20, 30), f.Geometry.Origin);       // old last column x = 10 + 2*2
        Assert.Equal(-1, f.Geometry.Direction.M00);
        Assert.Equal(2f, f[0, 0, 0]);                               // value of old (2,0,0)
        Assert.Equal(new Vec3(14, 20, 30), f.Geometry.IndexToPhysical(0, 0, 0));
        var fy = GridFlip.Flip(v, 1);
        Assert.Equal(3f, fy[0, 0, 0]);                              // old (0,1,0)
        Assert.Equal(new Vec3(10, 23, 30), fy.Geometry.Origin);
    }

    private static Vec3 Centroid(Volume<byte> labels, byte label)
    {
        double x = 0, y = 0, z = 0; long n = 0;
        var s = labels.Shape;
        for (var k = 0; k < s.Z; k++) for (var j = 0; j < s.Y; j++) for (var i = 0; i < s.X; i++)
            if (labels[i, j, k] == label) { x += i; y += j; z += k; n++; }
        // Snap to a voxel of the label (the centroid of a convex organ is inside it).
        return labels.Geometry.IndexToPhysical(Math.Round(x / n), Math.Round(y / n), Math.Round(z / n));
    }

    private static void AssertGeometry(VolumeGeometry expected, VolumeGeometry actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (var a = 0; a < 3; a++)
        {
            Assert.Equal(expected.Spacing[a], actual.Spacing[a], 1e-4);
            Assert.Equal(expected.Origin[a], actual.Origin[a], 1e-3);
        }
        Assert.True(expected.Direction.ApproximatelyEquals(actual.Direction, 1e-5), $"direction {actual.Direction} != {expected.Direction}");
    }
}
