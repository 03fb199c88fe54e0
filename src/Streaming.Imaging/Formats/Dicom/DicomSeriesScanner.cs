namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Finds DICOM series among files by reading headers only (GDCM stops before the pixel data) and grouping them by
/// SeriesInstanceUID. Files that are not DICOM images (unreadable, non-image objects such as SEG or SR, files that
/// crashed the decoder) are reported as skipped, never fatal.
/// </summary>
public static class DicomSeriesScanner
{
    /// <summary>A series is axial when its slice normal is within this angle of the z (superior) axis.</summary>
    public const double AxialToleranceDegrees = 10;

    /// <summary>Scans the files of one folder (optionally its whole subtree) in this process.</summary>
    public static DicomScanResult Scan(string folder, bool recursive = false)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"DICOM folder {folder} does not exist");
        var files = Directory.EnumerateFiles(folder, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal).ToList();
        return Scan(files, InProcessGdcm.Instance);
    }

    /// <summary>
    /// Scans <paramref name="files"/> through <paramref name="gdcm"/>. Series without a SeriesInstanceUID are keyed by
    /// their folder relative to <paramref name="archiveRoot"/> when given.
    /// </summary>
    public static DicomScanResult Scan(IReadOnlyList<string> files, IGdcmAccess gdcm, string? archiveRoot = null)
    {
        var headers = new List<DicomHeader>();
        var skipped = new List<DicomSkippedFile>();
        foreach (var r in gdcm.ReadHeaders(files))
        {
            if (r.Header is not { } h) skipped.Add(new DicomSkippedFile(r.Path, r.Error ?? "unreadable"));
            else if (NonImageObjects.Reason(h) is { } why) skipped.Add(new DicomSkippedFile(r.Path, why));
            else if (h.Rows <= 0 || h.Columns <= 0) skipped.Add(new DicomSkippedFile(r.Path, "DICOM object without an image (no Rows/Columns)"));
            else headers.Add(h);
        }

        var cosTolerance = Math.Cos(AxialToleranceDegrees * Math.PI / 180);
        var series = headers
            .GroupBy(h => h.SeriesKeyRelativeTo(archiveRoot), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                var normal = first.Normal;
                return new DicomSeriesInfo(
                    g.Key, first.SeriesInstanceUid, first.StudyInstanceUid, first.PatientId, first.Modality, first.SeriesDescription,
                    first.RowCosine, first.ColumnCosine,
                    g.Select(h => h.Path).ToList(),
                    g.Sum(h => h.NumberOfFrames),
                    first.Rows, first.Columns,
                    normal is { } n && Math.Abs(n.Z) >= cosTolerance)
                { SeriesNumber = first.SeriesNumber };
            })
            .ToList();
        return new DicomScanResult(series, skipped);
    }
}
