using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Imaging.Tests.Formats.Dicom;

public sealed class DicomSeriesWriterTests
{
    /// <summary>A 5x4x3 volume whose voxel (x,y,z) holds a distinct HU value, with an oblique direction.</summary>
    internal static Volume<float> ObliqueVolume(float offset = -1000, int nx = 5, int ny = 4)
    {
        var a = 20 * Math.PI / 180;
        var row = new Vec3(Math.Cos(a), Math.Sin(a), 0);
        var col = new Vec3(-Math.Sin(a) * Math.Cos(0.1), Math.Cos(a) * Math.Cos(0.1), Math.Sin(0.1));
        var g = new VolumeGeometry(new Int3(nx, ny, 3), new Vec3(0.7, 0.8, 2.5), new Vec3(-10.25, 20.5, -30.125),
            Mat3.FromColumns(row, col, row.Cross(col).Normalized()));
        var v = new Volume<float>(g);
        for (var z = 0; z < 3; z++)
            for (var y = 0; y < ny; y++)
                for (var x = 0; x < nx; x++)
                    v[x, y, z] = offset + 100 * z + 10 * y + x;
        return v;
    }

    [Fact]
    public void Writes_one_file_per_slice_with_header_and_pixels_as_given()
    {
        using var tmp = new TempDir();
        var v = ObliqueVolume();
        var files = DicomSeriesWriter.Write(tmp.Root, v, new DicomSeriesWriteOptions { PatientId = "P1", SeriesDescription = "oblique" });

        Assert.Equal(3, files.Count);
        Assert.Equal(tmp.Path("IM0002.dcm"), files[1]);
        Assert.Empty(Directory.GetFiles(tmp.Root, "*.tmp"));
        var h = DicomHeaderReader.Read(files[2]);
        Assert.Equal("P1", h.PatientId);
        Assert.Equal("CT", h.Modality);
        Assert.Equal("oblique", h.SeriesDescription);
        Assert.Equal(3, h.InstanceNumber);
        Assert.Equal((4, 5), (h.Rows, h.Columns));
        Assert.Equal((0.8, 0.7), h.PixelSpacing!.Value);
        Assert.Equal(-1024, h.RescaleIntercept);
        Assert.Equal("1.2.840.10008.1.2.1", h.TransferSyntaxUid);
        var expected = v.Geometry.IndexToPhysical(0, 0, 2);
        Assert.True((h.Position!.Value - expected).Norm < 1e-4, $"IPP {h.Position} vs {expected}");
        Assert.True((h.RowCosine!.Value - v.Geometry.Direction.Column(0)).Norm < 1e-5);
        Assert.True((h.ColumnCosine!.Value - v.Geometry.Direction.Column(1)).Norm < 1e-5);

        var px = GdcmPixelDecoder.Decode(files[2]);
        // Stored = HU + 1024: voxel (x=3, y=2) of slice 2 is -1000 + 200 + 20 + 3 = -777 HU -> 247.
        Assert.Equal(247f, px.Stored[3 + 5 * 2]);
        Assert.Equal("UINT16", px.PixelFormat);
    }

    [Fact]
    public void Values_below_the_intercept_switch_to_signed_storage_and_saturate()
    {
        using var tmp = new TempDir();
        var v = ObliqueVolume(offset: -3000); // -3000 HU -> stored -1976: signed
        v[0, 0, 0] = 1e6f; // far above int16 -> saturates to 32767
        var files = DicomSeriesWriter.Write(tmp.Root, v, new DicomSeriesWriteOptions { PatientId = "P1" });
        var px = GdcmPixelDecoder.Decode(files[0]);
        Assert.Equal("INT16", px.PixelFormat);
        Assert.Equal(32767f, px.Stored[0]);
        Assert.Equal(-3000 + 1024 + 1f, px.Stored[1]);
    }

    [Fact]
    public void Rejects_bad_options_at_the_boundary()
    {
        using var tmp = new TempDir();
        var v = ObliqueVolume();
        Assert.Throws<ArgumentException>(() => DicomSeriesWriter.Write(tmp.Root, v, new DicomSeriesWriteOptions { PatientId = "P", FileNamePattern = "same.dcm" }));
        Assert.Throws<ArgumentException>(() => DicomSeriesWriter.Write(tmp.Root, v, new DicomSeriesWriteOptions { PatientId = "P", SeriesInstanceUid = "1.2.abc" }));
        Assert.Throws<ArgumentException>(() => DicomSeriesWriter.Write(tmp.Root, v, new DicomSeriesWriteOptions { PatientId = "P", RescaleSlope = 0 }));
        var e = Assert.Throws<ArgumentException>(() => DicomSeriesWriter.Write(tmp.Root, v, new DicomSeriesWriteOptions { PatientId = "P", TransferSyntax = DicomTransferSyntax.Jpeg2000Lossless }));
        Assert.Contains("5x4 is too small", e.Message);
        Assert.Empty(Directory.GetFiles(tmp.Root));
    }

    public static TheoryData<DicomTransferSyntax, float> SyntaxesAndOffsets()
    {
        var d = new TheoryData<DicomTransferSyntax, float>();
        foreach (var ts in Enum.GetValues<DicomTransferSyntax>()) { d.Add(ts, -1000); d.Add(ts, -3000); }
        return d;
    }

    [Theory]
    [MemberData(nameof(SyntaxesAndOffsets))]
    public void Every_transfer_syntax_stores_the_exact_values(DicomTransferSyntax ts, float offset)
    {
        using var tmp = new TempDir();
        var v = ObliqueVolume(offset, 16, 17);
        var files = DicomSeriesWriter.Write(tmp.Root, v, new DicomSeriesWriteOptions { PatientId = "P1", TransferSyntax = ts });
        Assert.Equal(ts.Uid(), DicomHeaderReader.Read(files[1]).TransferSyntaxUid);
        var px = GdcmPixelDecoder.Decode(files[1]);
        Assert.Equal(offset < -1024 ? "INT16" : "UINT16", px.PixelFormat);
        Assert.Equal(16 * 17, px.Stored.Length);
        for (var i = 0; i < px.Stored.Length; i++)
            Assert.Equal(v.Data[16 * 17 + i] + 1024, px.Stored[i]);
    }
}
