using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Imaging.Tests.Formats.Dicom;

public sealed class DicomSeriesScannerTests
{
    [Fact]
    public void Finds_series_in_subfolders_only_when_recursive_and_reports_their_facts()
    {
        using var tmp = new TempDir();
        var axial = DicomSeriesWriterTests.ObliqueVolume();
        axial = axial.WithGeometry(axial.Geometry with { Direction = Mat3.Identity });
        DicomSeriesWriter.Write(tmp.Path("p1", "ax"), axial, new DicomSeriesWriteOptions { PatientId = "P1", SeriesInstanceUid = "1.2.3.1", SeriesDescription = "axial", Modality = Modality.MR });
        DicomSeriesWriter.Write(tmp.Path("p1", "obl"), DicomSeriesWriterTests.ObliqueVolume(), new DicomSeriesWriteOptions { PatientId = "P1", SeriesInstanceUid = "1.2.3.2" });

        Assert.Empty(DicomSeriesScanner.Scan(tmp.Root).Series);
        var scan = DicomSeriesScanner.Scan(tmp.Root, recursive: true);
        Assert.Empty(scan.Skipped);
        Assert.Equal(["1.2.3.1", "1.2.3.2"], scan.Series.Select(s => s.SeriesKey));
        var ax = scan.Series[0];
        Assert.Equal(("1.2.3.1", "P1", "MR", "axial"), (ax.SeriesInstanceUid, ax.PatientId, ax.Modality, ax.SeriesDescription));
        Assert.Equal((3, 4, 5), (ax.SliceCount, ax.Rows, ax.Columns));
        Assert.True(ax.IsAxial, ax.ToString());
        Assert.Equal([1.0, 0, 0, 0, 1, 0], ax.ImageOrientation!);
        // The oblique volume's normal is tilted by 0.1 rad (5.7 degrees) from z: still axial within 10 degrees.
        Assert.True(scan.Series[1].IsAxial, string.Join(",", scan.Series[1].ImageOrientation ?? []));
        Assert.All(scan.Series[1].Files, f => Assert.StartsWith(tmp.Path("p1", "obl"), f));
    }

    [Fact]
    public void A_coronal_series_is_not_axial()
    {
        using var tmp = new TempDir();
        var v = DicomSeriesWriterTests.ObliqueVolume();
        var coronal = v.WithGeometry(v.Geometry with { Direction = Mat3.FromColumns(new Vec3(1, 0, 0), new Vec3(0, 0, -1), new Vec3(0, 1, 0)) });
        DicomSeriesWriter.Write(tmp.Root, coronal, new DicomSeriesWriteOptions { PatientId = "P" });
        Assert.False(Assert.Single(DicomSeriesScanner.Scan(tmp.Root).Series).IsAxial);
    }

    [Fact]
    public void Resolver_registration_is_idempotent_across_threads()
    {
        Parallel.For(0, 8, _ => GdcmNativeResolver.EnsureRegistered());
        using var tmp = new TempDir();
        var files = DicomSeriesWriter.Write(tmp.Root, DicomSeriesWriterTests.ObliqueVolume(), new DicomSeriesWriteOptions { PatientId = "P" });
        Assert.Equal(3, files.Count);
    }

    [Fact]
    public void Reader_rejects_slices_of_different_sizes()
    {
        using var tmp = new TempDir();
        var a = DicomSeriesWriter.Write(tmp.Path("a"), DicomSeriesWriterTests.ObliqueVolume(), new DicomSeriesWriteOptions { PatientId = "P", SeriesInstanceUid = "1.2.3" });
        var b = DicomSeriesWriter.Write(tmp.Path("b"), DicomSeriesWriterTests.ObliqueVolume(-1000, 6, 4), new DicomSeriesWriteOptions { PatientId = "P", SeriesInstanceUid = "1.2.3" });
        var e = Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read([a[0], a[1], b[2]]));
        Assert.Contains("inconsistent image size: IM0003.dcm is 6x4, IM0001.dcm is 5x4", e.Message);
    }
}
