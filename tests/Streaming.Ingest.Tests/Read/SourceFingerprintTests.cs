using Streaming.Shards.Cache;
using Streaming.Ingest.Read;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Ingest.Tests.Read;

public sealed class SourceFingerprintTests
{
    [Fact]
    public void ChangesWithMtimeLengthLabelAndId()
    {
        using var dir = new TempDir();
        var a = dir.Path("a.dcm");
        var b = dir.Path("b.dcm");
        var lab = dir.Path("seg.nii.gz");
        File.WriteAllBytes(a, [1, 2, 3]);
        File.WriteAllBytes(b, [4, 5]);
        File.WriteAllBytes(lab, [9]);
        var t = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        foreach (var f in new[] { a, b, lab }) File.SetLastWriteTimeUtc(f, t);
        var item = new SourceItem("ds/series1", "ds", Modality.CT, SourceKind.DicomSeries, [a, b], lab);

        var fp = SourceFingerprint.Compute(item);
        Assert.Matches("^[0-9a-f]{32}$", fp);
        Assert.Equal(fp, SourceFingerprint.Compute(item));

        File.SetLastWriteTimeUtc(b, t.AddSeconds(1));
        var touched = SourceFingerprint.Compute(item);
        Assert.NotEqual(fp, touched);
        File.SetLastWriteTimeUtc(b, t);
        Assert.Equal(fp, SourceFingerprint.Compute(item));

        File.WriteAllBytes(a, [1, 2, 3, 4]); // same mtime, new length
        File.SetLastWriteTimeUtc(a, t);
        var grown = SourceFingerprint.Compute(item);
        Assert.NotEqual(fp, grown);

        File.SetLastWriteTimeUtc(lab, t.AddMinutes(1));
        Assert.NotEqual(grown, SourceFingerprint.Compute(item));

        Assert.NotEqual(SourceFingerprint.Compute(item), SourceFingerprint.Compute(item with { Id = "ds/series2" }));
        Assert.NotEqual(SourceFingerprint.Compute(item), SourceFingerprint.Compute(item with { Files = [b, a] }));
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var item = new SourceItem("x", "ds", Modality.MR, SourceKind.Nifti, ["/nonexistent/x.nii.gz"]);
        var e = Assert.Throws<FileNotFoundException>(() => SourceFingerprint.Compute(item));
        Assert.Contains("/nonexistent/x.nii.gz", e.Message);
    }
}
