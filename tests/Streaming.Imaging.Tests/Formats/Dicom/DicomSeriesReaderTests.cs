using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Imaging.Tests.Formats.Dicom;

/// <summary>Reader behaviour on series written by our own writer (no shared data needed).</summary>
public sealed class DicomSeriesReaderTests
{
    private static void AssertSameGeometry(VolumeGeometry expected, VolumeGeometry actual, double tol = 1e-4)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.True((expected.Spacing - actual.Spacing).Norm < tol, $"spacing {actual.Spacing} vs {expected.Spacing}");
        Assert.True((expected.Origin - actual.Origin).Norm < tol, $"origin {actual.Origin} vs {expected.Origin}");
        Assert.True(expected.Direction.ApproximatelyEquals(actual.Direction, tol), "direction differs");
    }

    [Theory]
    [InlineData(DicomTransferSyntax.ExplicitVrLittleEndian)]
    [InlineData(DicomTransferSyntax.JpegLsLossless)]
    [InlineData(DicomTransferSyntax.RleLossless)]
    public void Round_trip_gives_exact_values_and_geometry(DicomTransferSyntax ts)
    {
        using var tmp = new TempDir();
        var v = DicomSeriesWriterTests.ObliqueVolume(-1000, 16, 17);
        var files = DicomSeriesWriter.Write(tmp.Root, v, new DicomSeriesWriteOptions { PatientId = "P7", TransferSyntax = ts });

        // Hand the files over in reverse: order must come from positions.
        var img = DicomSeriesReader.Read(files.Reverse().ToList());

        AssertSameGeometry(v.Geometry, img.Volume.Geometry);
        Assert.Equal(v.Data, img.Volume.Data);
        Assert.Equal("P7", img.Metadata["patientId"]);
        Assert.Equal(ts.Uid(), img.Metadata["transferSyntaxUid"]);
        Assert.Equal("3", img.Metadata["sliceCount"]);
    }

    [Fact]
    public void Left_handed_input_comes_back_sorted_along_the_normal_with_the_same_voxels_in_space()
    {
        using var tmp = new TempDir();
        var src = DicomSeriesWriterTests.ObliqueVolume();
        var d = src.Geometry.Direction;
        var flipped = src.WithGeometry(src.Geometry with { Direction = Mat3.FromColumns(d.Column(0), d.Column(1), d.Column(2) * -1) });
        var files = DicomSeriesWriter.Write(tmp.Root, flipped, new DicomSeriesWriteOptions { PatientId = "P" });

        var img = DicomSeriesReader.Read(files);
        var g = img.Volume.Geometry;
        Assert.True(g.Direction.Determinant > 0.999);
        // Slice k of the result is slice 2 - k of the input, at the same place in space.
        for (var k = 0; k < 3; k++)
        {
            Assert.True((g.IndexToPhysical(0, 0, k) - flipped.Geometry.IndexToPhysical(0, 0, 2 - k)).Norm < 1e-4);
            Assert.Equal(flipped[3, 2, 2 - k], img.Volume[3, 2, k]);
        }
    }

    [Fact]
    public void Rescale_is_applied_per_slice()
    {
        using var tmp = new TempDir();
        var v = DicomSeriesWriterTests.ObliqueVolume();
        var uid = "1.2.826.0.1.3680043.2.1143.42";
        // Same series and geometry, different RescaleSlope/Intercept: keep slice 1 from the second writing.
        var a = DicomSeriesWriter.Write(tmp.Path("a"), v, new DicomSeriesWriteOptions { PatientId = "P", SeriesInstanceUid = uid });
        var b = DicomSeriesWriter.Write(tmp.Path("b"), v, new DicomSeriesWriteOptions { PatientId = "P", SeriesInstanceUid = uid, RescaleSlope = 0.5, RescaleIntercept = -2000 });
        var img = DicomSeriesReader.Read([a[0], b[1], a[2]]);
        Assert.Equal(v.Data, img.Volume.Data);
        Assert.Equal("-1024;-2000", img.Metadata["rescaleIntercept"]);
        // Stored values really differ: voxel 0 of slice 1 is -900 HU: 124 in a, (-900 + 2000) / 0.5 = 2200 in b.
        Assert.Equal(124f, GdcmPixelDecoder.Decode(a[1]).Stored[0]);
        Assert.Equal(2200f, GdcmPixelDecoder.Decode(b[1]).Stored[0]);
    }

    [Fact]
    public void Signed_storage_reads_back_exactly()
    {
        using var tmp = new TempDir();
        var v = DicomSeriesWriterTests.ObliqueVolume(-3000);
        var img = DicomSeriesReader.Read(DicomSeriesWriter.Write(tmp.Root, v, new DicomSeriesWriteOptions { PatientId = "P" }));
        Assert.Equal("INT16", img.Metadata["pixelFormat"]);
        Assert.Equal(v.Data, img.Volume.Data);
    }

    [Theory]
    [InlineData(0xF830u, 12, true, -2000f)]   // 12-bit two's complement of -2000 with junk in the top bits
    [InlineData(0xF830u, 12, false, 2096f)]   // same bits, unsigned: only the low 12 bits count
    [InlineData(0x0FFFu, 12, true, -1f)]
    [InlineData(0x8000u, 16, true, -32768f)]
    [InlineData(0xFFFFu, 16, false, 65535f)]
    public void Stored_bits_are_masked_and_sign_extended(uint raw, int bitsStored, bool signed, float expected) =>
        Assert.Equal(expected, GdcmPixelDecoder.Mask(raw, bitsStored, 16, signed));

    [Fact]
    public void Multi_frame_file_reads_frames_positions_and_rescale()
    {
        using var tmp = new TempDir();
        // Coronal slices (row +x, column -z, normal +y), signed values, 3 mm between frames.
        var g = new VolumeGeometry(new Int3(8, 6, 4), new Vec3(0.5, 0.75, 3.0), new Vec3(-5, 7, 11),
            Mat3.FromColumns(new Vec3(1, 0, 0), new Vec3(0, 0, -1), new Vec3(0, 1, 0)));
        var v = new Volume<float>(g);
        for (var i = 0; i < v.Data.Length; i++) v.Data[i] = -1300 + i;
        var path = DicomMultiFrameWriter.Write(tmp.Path("mf.dcm"), v, new DicomSeriesWriteOptions { PatientId = "P" });

        var h = DicomHeaderReader.Read(path);
        Assert.Equal(4, h.NumberOfFrames);
        var img = DicomSeriesReader.Read([path]);
        AssertSameGeometry(g, img.Volume.Geometry);
        Assert.Equal(v.Data, img.Volume.Data);
        Assert.Equal("true", img.Metadata["multiFrame"]);
        Assert.Equal("per-frame PlanePositionSequence", img.Metadata["framePositions"]);
        var scan = DicomSeriesScanner.Scan(tmp.Root);
        Assert.Equal(4, Assert.Single(scan.Series).SliceCount);
        Assert.False(scan.Series[0].IsAxial);
    }

    [Fact]
    public void Multi_frame_with_left_handed_direction_keeps_the_voxels_in_place()
    {
        using var tmp = new TempDir();
        var g = new VolumeGeometry(new Int3(16, 16, 3), new Vec3(1, 1, 2), new Vec3(0, 0, 50),
            Mat3.FromColumns(new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, -1)));
        var v = new Volume<float>(g);
        for (var i = 0; i < v.Data.Length; i++) v.Data[i] = i % 700;
        var path = DicomMultiFrameWriter.Write(tmp.Path("mf.dcm"), v, new DicomSeriesWriteOptions { PatientId = "P", TransferSyntax = DicomTransferSyntax.Jpeg2000Lossless });
        var img = DicomSeriesReader.Read([path]).Volume;
        Assert.Equal(new Vec3(0, 0, 46), img.Geometry.Origin);
        Assert.Equal(v[5, 7, 0], img[5, 7, 2]);
        Assert.Equal(v[5, 7, 2], img[5, 7, 0]);
    }

    [Fact]
    public void Rejects_mixed_series_naming_both_uids()
    {
        using var tmp = new TempDir();
        var v = DicomSeriesWriterTests.ObliqueVolume();
        var a = DicomSeriesWriter.Write(tmp.Path("a"), v, new DicomSeriesWriteOptions { PatientId = "P", SeriesInstanceUid = "1.2.3.1" });
        var b = DicomSeriesWriter.Write(tmp.Path("b"), v, new DicomSeriesWriteOptions { PatientId = "P", SeriesInstanceUid = "1.2.3.2" });
        var e = Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read([a[0], a[1], b[2]]));
        Assert.Contains("files of 2 series are mixed: 1.2.3.1 (2 files), 1.2.3.2 (1 files)", e.Message);
        Assert.StartsWith("DICOM series " + tmp.Path("a"), e.Message);
    }

    [Fact]
    public void Rejects_inconsistent_orientation_and_single_slices()
    {
        using var tmp = new TempDir();
        var v = DicomSeriesWriterTests.ObliqueVolume();
        var uid = "1.2.3.9";
        var a = DicomSeriesWriter.Write(tmp.Path("a"), v, new DicomSeriesWriteOptions { PatientId = "P", SeriesInstanceUid = uid });
        var axial = v.WithGeometry(v.Geometry with { Direction = Mat3.Identity });
        var b = DicomSeriesWriter.Write(tmp.Path("b"), axial, new DicomSeriesWriteOptions { PatientId = "P", SeriesInstanceUid = uid });
        var e = Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read([a[0], a[1], b[2]]));
        Assert.Contains("inconsistent orientation: IM0003.dcm", e.Message);
        var one = Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read([a[0]]));
        Assert.Contains("1 slice(s)", one.Message);
    }

    [Theory]
    [InlineData(DicomTransferSyntax.ExplicitVrLittleEndian, 2)]
    [InlineData(DicomTransferSyntax.ImplicitVrLittleEndian, 100)]
    [InlineData(DicomTransferSyntax.JpegLosslessSv1, 10)]
    [InlineData(DicomTransferSyntax.RleLossless, 10)]
    public void A_file_cut_short_is_rejected_even_where_GDCM_would_fill_in_zeros(DicomTransferSyntax ts, int cut)
    {
        using var tmp = new TempDir();
        var files = DicomSeriesWriter.Write(tmp.Root, DicomSeriesWriterTests.ObliqueVolume(-1000, 16, 16),
            new DicomSeriesWriteOptions { PatientId = "P", TransferSyntax = ts });
        var bytes = File.ReadAllBytes(files[1]);
        File.WriteAllBytes(files[1], bytes[..^cut]);
        var e = Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read(files));
        Assert.Contains(files[1], e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData(100)]  // inside the preamble
    [InlineData(132)]  // right after "DICM"
    [InlineData(200)]  // inside the meta header: GDCM alone would abort the process here
    [InlineData(700)]  // inside the data set
    public void A_file_cut_in_its_header_is_refused_before_GDCM_sees_it(int keep)
    {
        using var tmp = new TempDir();
        var files = DicomSeriesWriter.Write(tmp.Root, DicomSeriesWriterTests.ObliqueVolume(), new DicomSeriesWriteOptions { PatientId = "P" });
        File.WriteAllBytes(files[0], File.ReadAllBytes(files[0])[..keep]);
        var e = Assert.Throws<InvalidDataException>(() => DicomHeaderReader.Read(files[0]));
        Assert.StartsWith(files[0] + ": ", e.Message);
        var scan = DicomSeriesScanner.Scan(tmp.Root);
        Assert.Equal(files[0], Assert.Single(scan.Skipped).Path);
        Assert.Equal(2, Assert.Single(scan.Series).Files.Count);
    }

    [Fact]
    public void MR_series_stay_classic_single_frame_files_with_their_rescale()
    {
        using var tmp = new TempDir();
        var v = DicomSeriesWriterTests.ObliqueVolume(offset: 0); // values 0..234
        for (var i = 0; i < v.Data.Length; i++) v.Data[i] *= 0.5f;  // 0, 0.5, 1, ... exact with slope 0.5
        var o = new DicomSeriesWriteOptions { PatientId = "P", Modality = Modality.MR, RescaleSlope = 0.5, RescaleIntercept = 0 };
        var files = DicomSeriesWriter.Write(tmp.Root, v, o);
        var h = DicomHeaderReader.Read(files[0]);
        Assert.Equal("MR", h.Modality);
        Assert.Equal(1, h.NumberOfFrames);
        Assert.Equal(0.5, h.RescaleSlope);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.4", h.SopClassUid); // MR Image Storage, not GDCM's Enhanced MR
        var img = DicomSeriesReader.Read(files);
        Assert.Equal(v.Data, img.Volume.Data);
        AssertSameGeometry(v.Geometry, img.Volume.Geometry);
    }
}
