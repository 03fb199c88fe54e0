using System.Numerics;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Tests;
using static Streaming.Imaging.Tests.Formats.Nifti.NiftiTestVolumes;

namespace Streaming.Imaging.Tests.Formats.Nifti;

public sealed class NiftiRoundTripTests
{
    public static TheoryData<NiftiDataType, int, bool, string, string> Cases()
    {
        var d = new TheoryData<NiftiDataType, int, bool, string, string>();
        foreach (var t in Enum.GetValues<NiftiDataType>())
            foreach (var v in new[] { 1, 2 })
                foreach (var be in new[] { false, true })
                    foreach (var ext in new[] { ".nii", ".nii.gz" })
                        foreach (var dir in new[] { "oblique", "oblique-flipped" })
                            d.Add(t, v, be, ext, dir);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_datatype_version_byte_order_and_compression_round_trips_values_and_geometry(
        NiftiDataType type, int version, bool bigEndian, string ext, string direction)
    {
        switch (type)
        {
            case NiftiDataType.UInt8: Check<byte>(type, version, bigEndian, ext, direction); break;
            case NiftiDataType.Int8: Check<sbyte>(type, version, bigEndian, ext, direction); break;
            case NiftiDataType.Int16: Check<short>(type, version, bigEndian, ext, direction); break;
            case NiftiDataType.UInt16: Check<ushort>(type, version, bigEndian, ext, direction); break;
            case NiftiDataType.Int32: Check<int>(type, version, bigEndian, ext, direction); break;
            case NiftiDataType.UInt32: Check<uint>(type, version, bigEndian, ext, direction); break;
            case NiftiDataType.Int64: Check<long>(type, version, bigEndian, ext, direction); break;
            case NiftiDataType.Float32: Check<float>(type, version, bigEndian, ext, direction); break;
            case NiftiDataType.Float64: Check<double>(type, version, bigEndian, ext, direction); break;
            default: throw new ArgumentOutOfRangeException(nameof(type));
        }
    }

    private static void Check<T>(NiftiDataType type, int version, bool bigEndian, string ext, string direction)
        where T : unmanaged, INumberBase<T>, IMinMaxValue<T>
    {
        using var tmp = new TempDir();
        var path = tmp.Path("img" + ext);
        var geometry = Geometry(Direction(direction));
        var values = new T[geometry.Shape.Volume];
        // Extremes of the type first (exercise byte swapping of every byte), then a ramp with negative values.
        values[0] = T.MinValue;
        values[1] = T.MaxValue;
        for (var k = 2; k < values.Length; k++) values[k] = T.CreateTruncating(k * 3 - 40);
        NiftiWriter.Write(path, new Volume<T>(geometry, values),
            new NiftiWriteOptions { DataType = type, Version = version, BigEndian = bigEndian });

        var header = NiftiReader.ReadHeader(path);
        Assert.Equal(version, header.Version);
        Assert.Equal(bigEndian, header.BigEndian);
        Assert.Equal((int)type, header.DataTypeCode);
        Assert.Equal(NiftiDataTypes.BytesPerVoxel(type) * 8, header.BitPix);
        Assert.Equal(version == 2 ? 544 : 352, header.VoxOffset);
        Assert.Equal(direction == "oblique-flipped" ? -1.0 : 1.0, header.PixDim[0]);

        var raw = NiftiReader.ReadRaw(path);
        Assert.Equal(values, raw.Voxels<T>().ToArray());
        Assert.Equal(NiftiGeometrySource.Sform, raw.GeometrySource);

        var image = NiftiReader.Read(path);
        AssertGeometry(geometry, image.Volume.Geometry);
        var expected = values.Select(v => float.CreateTruncating(v)).ToArray();
        Assert.Equal(expected, image.Volume.Data);
        Assert.Equal(version == 2 ? "NIfTI-2" : "NIfTI-1", image.Metadata["format"]);
    }

    [Theory]
    [InlineData(1, "oblique")]
    [InlineData(1, "oblique-flipped")]
    [InlineData(2, "oblique")]
    [InlineData(2, "oblique-flipped")]
    [InlineData(1, "identity")]
    public void Qform_alone_round_trips_oblique_and_left_handed_directions(int version, string direction)
    {
        using var tmp = new TempDir();
        var path = tmp.Path("q.nii");
        var geometry = Geometry(Direction(direction));
        NiftiWriter.Write(path, new Volume<short>(geometry), new NiftiWriteOptions { Version = version, SformCode = 0, QformCode = 1 });

        var h = NiftiReader.ReadHeader(path);
        Assert.Equal(0, h.SformCode);
        Assert.All(h.SRowX.Concat(h.SRowY).Concat(h.SRowZ), v => Assert.Equal(0, v));
        var image = NiftiReader.Read(path);
        Assert.Equal("qform", image.Metadata["geometry_source"]);
        AssertGeometry(geometry, image.Volume.Geometry);
    }
}
