using System.IO.Compression;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Imaging.Tests.Formats.Dicom;

/// <summary>Real CT series from ../shared/data/dicom (skipped when absent).</summary>
public sealed class DicomRealDataTests
{
    private static string Thorax(string syntax) => SharedData.Path("dicom", "ct-thorax-syntaxes", syntax);
    private static string AbdomenSeries => SharedData.Path("dicom", "ct-abdomen-j2k", "series");
    private static string[] FilesOf(string folder) => Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToArray();

    private static readonly Lazy<LoadedImage> ThoraxReference = new(() => DicomSeriesReader.Read(FilesOf(Thorax("explicit_vr_le"))));

    public static TheoryData<string> Syntaxes() =>
        new("implicit_vr_le", "explicit_vr_le", "explicit_vr_be", "jpeg_lossless_sv1", "rle_lossless", "jpegls_lossless", "jpeg2000_lossless");

    [SharedDataTheory]
    [MemberData(nameof(Syntaxes))]
    public void Every_thorax_transfer_syntax_decodes_to_the_same_HU_and_geometry(string syntax)
    {
        var img = DicomSeriesReader.Read(FilesOf(Thorax(syntax)));
        var reference = ThoraxReference.Value.Volume;
        var g = img.Volume.Geometry;

        Assert.Equal(new Int3(512, 512, 20), g.Shape);
        Assert.Equal(0.9765625, g.Spacing.X, 6);
        Assert.Equal(0.9765625, g.Spacing.Y, 6);
        Assert.Equal(2.0, g.Spacing.Z, 6); // positive step although SpacingBetweenSlices says -2.0
        Assert.Equal(Mat3.Identity, g.Direction);
        Assert.Equal(new Vec3(-250, -164, -42.5), g.Origin);
        Assert.Equal(reference.Geometry, g);
        Assert.Equal(reference.Data, img.Volume.Data);
        Assert.Equal(-1024f, img.Volume.Data.Min());
        Assert.Equal(1215f, img.Volume.Data.Max());
    }

    [SharedDataFact]
    public void Thorax_slices_are_ordered_by_position_not_by_file_name()
    {
        var files = FilesOf(Thorax("explicit_vr_le"));
        var first = DicomHeaderReader.Read(files[0]); // 00-slice060.dcm, the first name
        var last = DicomHeaderReader.Read(files[^1]);
        Assert.Equal(-4.5, first.Position!.Value.Z, 6);
        Assert.Equal(-42.5, last.Position!.Value.Z, 6);
        var v = ThoraxReference.Value.Volume;
        // The first-named file is the top slice: its pixels are slice k = 19 of the volume.
        var px = GdcmPixelDecoder.Decode(files[0]);
        for (var i = 0; i < 512 * 512; i += 997)
            Assert.Equal(px.Stored[i] - 1024, v.Data[19L * 512 * 512 + i]);
    }

    [SharedDataFact]
    public void Abdomen_jpeg2000_series_reads_with_plausible_HU()
    {
        var files = FilesOf(AbdomenSeries);
        Assert.Null(DicomHeaderReader.Read(files[0]).SopInstanceUid); // blank in the data set
        var img = DicomSeriesReader.Read(files);
        var v = img.Volume;
        Assert.Equal(new Int3(512, 512, 20), v.Shape);
        Assert.Equal(2.0, v.Geometry.Spacing.Z, 6);
        Assert.Equal("1.2.840.10008.1.2.4.90", img.Metadata["transferSyntaxUid"]);
        var sorted = (float[])v.Data.Clone();
        Array.Sort(sorted);
        Assert.Equal(-1024f, sorted[0]);                       // air after intercept -1024, nothing below
        Assert.InRange(sorted[sorted.Length / 2], -1024, -900); // most of the field is air around the body
        Assert.InRange(sorted[^1], 1000, 3071);                 // bone
        double sum = 0;
        for (var y = 236; y < 276; y++)
            for (var x = 236; x < 276; x++) sum += v[x, y, 10];
        Assert.InRange(sum / 1600, -100, 100);                  // soft tissue in the middle of the abdomen
    }

    [SharedDataFact]
    public void Abdomen_geometry_matches_the_label_nifti_header()
    {
        var g = DicomSeriesReader.Read(FilesOf(AbdomenSeries)).Volume.Geometry;
        var nifti = NiftiHeader.Read(SharedData.Path("dicom", "ct-abdomen-j2k", "labels.nii.gz"));
        Assert.Equal(2, nifti.SformCode);
        Assert.Equal(new Int3(512, 512, 20), nifti.Shape);
        Assert.Equal(g.Shape, nifti.Shape);
        Assert.Equal(g.Spacing.X, nifti.PixDim[0], 5);
        Assert.Equal(g.Spacing.Y, nifti.PixDim[1], 5);
        Assert.Equal(g.Spacing.Z, nifti.PixDim[2], 5);
        // Both grids must place voxel centres at the same points: compare the 8 corners as sets (the NIfTI may
        // run an axis the other way). NIfTI's sform is RAS; LPS negates x and y.
        var ours = Corners(g.Shape).Select(c => g.IndexToPhysical(c.X, c.Y, c.Z)).ToList();
        var theirs = Corners(nifti.Shape).Select(c => nifti.SformLps(c.X, c.Y, c.Z)).ToList();
        foreach (var p in theirs)
            Assert.True(ours.Any(q => (p - q).Norm < 1e-3), $"NIfTI corner {p} is not a corner of the DICOM grid");
    }

    private static IEnumerable<Int3> Corners(Int3 s) =>
        from z in new[] { 0, s.Z - 1 } from y in new[] { 0, s.Y - 1 } from x in new[] { 0, s.X - 1 } select new Int3(x, y, z);

    /// <summary>The few NIfTI-1 header fields this test needs (little-endian, gzip).</summary>
    private sealed record NiftiHeader(Int3 Shape, double[] PixDim, int SformCode, double[] Srow)
    {
        public static NiftiHeader Read(string path)
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            var b = new byte[348];
            gz.ReadExactly(b);
            using var r = new BinaryReader(new MemoryStream(b));
            Assert.Equal(348, r.ReadInt32());
            r.BaseStream.Position = 40;
            var dim = Enumerable.Range(0, 8).Select(_ => (int)r.ReadInt16()).ToArray();
            r.BaseStream.Position = 76;
            var pix = Enumerable.Range(0, 8).Select(_ => (double)r.ReadSingle()).ToArray();
            r.BaseStream.Position = 254;
            var sformCode = r.ReadInt16();
            r.BaseStream.Position = 280;
            var srow = Enumerable.Range(0, 12).Select(_ => (double)r.ReadSingle()).ToArray();
            return new NiftiHeader(new Int3(dim[1], dim[2], dim[3]), pix[1..4], sformCode, srow);
        }

        public Vec3 SformLps(double i, double j, double k)
        {
            double Row(int r) => Srow[4 * r] * i + Srow[4 * r + 1] * j + Srow[4 * r + 2] * k + Srow[4 * r + 3];
            return new Vec3(-Row(0), -Row(1), Row(2));
        }
    }

    [SharedDataFact]
    public void A_missing_middle_slice_is_rejected_naming_the_gap()
    {
        using var tmp = new TempDir();
        foreach (var f in FilesOf(Thorax("explicit_vr_le")).Where(f => !f.EndsWith("00-slice070.dcm", StringComparison.Ordinal)))
            File.Copy(f, tmp.Path(Path.GetFileName(f)));
        var e = Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read(FilesOf(tmp.Root)));
        Assert.StartsWith("DICOM series " + tmp.Root, e.Message);
        // slice070 sat at z = -24.5 between slice071 (-26.5) and slice069 (-22.5).
        Assert.Contains("missing slice(s) between 00-slice071.dcm (at -26.5 mm) and 00-slice069.dcm (at -22.5 mm)", e.Message);
        Assert.Contains("gap 4 mm is 2x the median step 2 mm, so 1 slice(s) are absent", e.Message);
    }

    [SharedDataFact]
    public void Scanner_splits_a_folder_holding_two_series()
    {
        using var tmp = new TempDir();
        foreach (var f in FilesOf(Thorax("explicit_vr_le"))) File.Copy(f, tmp.Path("thorax-" + Path.GetFileName(f)));
        foreach (var f in FilesOf(AbdomenSeries)) File.Copy(f, tmp.Path("abdomen-" + Path.GetFileName(f)));

        var scan = DicomSeriesScanner.Scan(tmp.Root);
        Assert.Empty(scan.Skipped);
        Assert.Equal(2, scan.Series.Count);
        var thorax = Assert.Single(scan.Series, s => s.SeriesInstanceUid is not null);
        var abdomen = Assert.Single(scan.Series, s => s.SeriesInstanceUid is null); // blank UID: grouped by folder key
        Assert.All(thorax.Files, f => Assert.StartsWith("thorax-", Path.GetFileName(f)));
        Assert.All(abdomen.Files, f => Assert.StartsWith("abdomen-", Path.GetFileName(f)));
        Assert.Equal((20, 20), (thorax.SliceCount, abdomen.SliceCount));
        Assert.Equal((512, 512, "CT", true), (thorax.Rows, thorax.Columns, thorax.Modality, thorax.IsAxial));
        Assert.Equal("CT Body 3.0", abdomen.SeriesDescription);
        Assert.Equal([1.0, 0, 0, 0, 1, 0], abdomen.ImageOrientation!);

        var mixed = Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read(FilesOf(tmp.Root)));
        Assert.Contains("files of 2 series are mixed", mixed.Message);
        Assert.Contains(thorax.SeriesInstanceUid!, mixed.Message);
    }

    [SharedDataFact]
    public void A_text_file_named_dcm_is_skipped_and_the_series_still_reads()
    {
        using var tmp = new TempDir();
        foreach (var f in FilesOf(Thorax("rle_lossless"))) File.Copy(f, tmp.Path(Path.GetFileName(f)));
        File.WriteAllText(tmp.Path("00-slice065b.dcm"), "not a DICOM file, just notes\n");

        var scan = DicomSeriesScanner.Scan(tmp.Root);
        var skipped = Assert.Single(scan.Skipped);
        Assert.Equal(tmp.Path("00-slice065b.dcm"), skipped.Path);
        Assert.Contains("not a readable DICOM file", skipped.Reason);
        var series = Assert.Single(scan.Series);
        Assert.Equal(20, series.Files.Count);
        Assert.Equal(ThoraxReference.Value.Volume.Data, DicomSeriesReader.Read(series.Files).Volume.Data);
    }

    [SharedDataFact]
    public void A_truncated_file_is_rejected_with_its_path()
    {
        using var tmp = new TempDir();
        foreach (var f in FilesOf(Thorax("explicit_vr_le"))) File.Copy(f, tmp.Path(Path.GetFileName(f)));
        var victim = tmp.Path("00-slice065.dcm");
        var bytes = File.ReadAllBytes(victim);
        File.WriteAllBytes(victim, bytes[..(bytes.Length / 2)]); // header intact, pixel data cut in half

        var e = Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read(FilesOf(tmp.Root)));
        Assert.Contains(victim, e.Message);
        Assert.Contains("file is truncated", e.Message);
        Assert.StartsWith("DICOM series " + tmp.Root, e.Message);

        // Cut inside the header: the scanner reports it as skipped and keeps the other 19 files as the series.
        File.WriteAllBytes(victim, bytes[..300]);
        var scan = DicomSeriesScanner.Scan(tmp.Root);
        Assert.Equal(victim, Assert.Single(scan.Skipped).Path);
        Assert.Equal(19, Assert.Single(scan.Series).Files.Count);
    }
}
