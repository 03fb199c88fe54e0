using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Imaging.Tests.Formats.Nifti;

/// <summary>scl_slope / scl_inter on both sides, and the writer's rounding and saturation.</summary>
public sealed class NiftiScalingTests
{
    private static readonly VolumeGeometry Row6 = VolumeGeometry.Axial(new Int3(6, 1, 1), new Vec3(1, 1, 1));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Writer_stores_inverse_scaled_values_and_reader_applies_slope_and_inter(int version)
    {
        using var tmp = new TempDir();
        var path = tmp.Path("s.nii.gz");
        float[] hu = [-1024f, -1023.5f, 0f, 100.25f, 100.75f, 3071f];
        NiftiWriter.Write(path, new Volume<float>(Row6, hu),
            new NiftiWriteOptions { Version = version, DataType = NiftiDataType.Int16, SclSlope = 0.5, SclInter = -1024 });

        // stored = (v + 1024) / 0.5, half to even: 100.25 → 2248.5 → 2248; 100.75 → 2249.5 → 2250.
        Assert.Equal(new short[] { 0, 1, 2048, 2248, 2250, 8190 }, NiftiReader.ReadRaw(path).Voxels<short>().ToArray());
        Assert.Equal(new[] { -1024f, -1023.5f, 0f, 100f, 101f, 3071f }, NiftiReader.Read(path).Volume.Data);
    }

    [Theory]
    [InlineData(NiftiDataType.Int16, new double[] { -32768, 32767, 0, 2, 4, -2 })]
    [InlineData(NiftiDataType.UInt8, new double[] { 0, 255, 0, 2, 4, 0 })]
    [InlineData(NiftiDataType.Int8, new double[] { -128, 127, 0, 2, 4, -2 })]
    [InlineData(NiftiDataType.UInt32, new double[] { 0, 1e6, 0, 2, 4, 0 })]
    public void Writer_rounds_half_to_even_and_saturates_with_NaN_as_zero(NiftiDataType type, double[] expected)
    {
        using var tmp = new TempDir();
        var path = tmp.Path("r.nii");
        double[] values = [-1e6, 1e6, double.NaN, 2.5, 3.5, -2.5];
        NiftiWriter.Write(path, new Volume<double>(Row6, values), new NiftiWriteOptions { DataType = type });
        Assert.Equal(expected.Select(v => (float)v), NiftiReader.Read(path).Volume.Data);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    public void Slope_zero_or_NaN_means_no_scaling(double slope)
    {
        using var tmp = new TempDir();
        var path = tmp.Path("z.nii");
        var h = NiftiTestFiles.HeaderFor(Row6) with { SclSlope = slope, SclInter = 500 };
        NiftiTestFiles.Write(path, h, new short[] { -3, -2, -1, 0, 1, 2 });
        Assert.False(NiftiReader.ReadHeader(path).HasScaling);
        Assert.Equal(new[] { -3f, -2f, -1f, 0f, 1f, 2f }, NiftiReader.Read(path).Volume.Data);
    }

    [Fact]
    public void Labels_may_be_stored_as_floats_or_scaled_ints_but_must_be_whole_and_in_0_to_255()
    {
        using var tmp = new TempDir();
        NiftiWriter.Write(tmp.Path("f.nii"), new Volume<float>(Row6, [0, 1, 2, 41, 117, 255]), new NiftiWriteOptions { DataType = NiftiDataType.Float32 });
        Assert.Equal(new byte[] { 0, 1, 2, 41, 117, 255 }, NiftiReader.ReadLabels(tmp.Path("f.nii")).Data);

        NiftiTestFiles.Write(tmp.Path("scaled.nii"), NiftiTestFiles.HeaderFor(Row6) with { SclSlope = 2, SclInter = 1 }, new short[] { 0, 1, 2, 3, 4, 5 });
        Assert.Equal(new byte[] { 1, 3, 5, 7, 9, 11 }, NiftiReader.ReadLabels(tmp.Path("scaled.nii")).Data);

        NiftiWriter.Write(tmp.Path("half.nii"), new Volume<float>(Row6, [0, 1, 1.5f, 2, 3, 4]), new NiftiWriteOptions { DataType = NiftiDataType.Float32 });
        var e = Assert.Throws<InvalidDataException>(() => NiftiReader.ReadLabels(tmp.Path("half.nii")));
        Assert.Contains("voxel (2, 0, 0) holds 1.5", e.Message);

        NiftiWriter.Write(tmp.Path("big.nii"), new Volume<short>(Row6, [0, 1, 2, 3, 256, 4]));
        e = Assert.Throws<InvalidDataException>(() => NiftiReader.ReadLabels(tmp.Path("big.nii")));
        Assert.Contains(tmp.Path("big.nii"), e.Message);
        Assert.Contains("voxel (4, 0, 0) holds 256", e.Message);
    }

    [Fact]
    public void Uint8_labels_are_returned_without_conversion()
    {
        using var tmp = new TempDir();
        NiftiWriter.Write(tmp.Path("l.nii.gz"), new Volume<byte>(Row6, [0, 7, 255, 3, 2, 1]), new NiftiWriteOptions { DataType = NiftiDataType.UInt8 });
        Assert.Equal(new byte[] { 0, 7, 255, 3, 2, 1 }, NiftiReader.ReadLabels(tmp.Path("l.nii.gz")).Data);
    }
}
