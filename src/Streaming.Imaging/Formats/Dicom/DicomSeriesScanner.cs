namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Finds DICOM series in a folder by reading headers only (GDCM stops before the pixel data) and grouping files by
/// SeriesInstanceUID. Files that are not DICOM images are reported as skipped, never fatal.
/// </summary>
public static class DicomSeriesScanner
{
    /// <summary>A series is axial when its slice normal is within this angle of the z (superior) axis.</summary>
    public const double AxialToleranceDegrees = 10;

    public static DicomScanResult Scan(string folder, bool recursive = false)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"DICOM folder {folder} does not exist");
        GdcmNativeResolver.EnsureRegistered();
        var files = Directory.EnumerateFiles(folder, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal).ToList();
        var headers = new List<DicomHeader>();
        var skipped = new List<DicomSkippedFile>();
        foreach (var path in files)
        {
            try
            {
                var h = DicomHeaderReader.Read(path);
                if (h.Rows <= 0 || h.Columns <= 0) skipped.Add(new DicomSkippedFile(path, "DICOM object without an image (no Rows/Columns)"));
                else headers.Add(h);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ApplicationException)
            {
                skipped.Add(new DicomSkippedFile(path, e.Message.StartsWith(path, StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message));
            }
        }

        var cosTolerance = Math.Cos(AxialToleranceDegrees * Math.PI / 180);
        var series = headers
            .GroupBy(h => h.SeriesKey, StringComparer.Ordinal)
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
                    normal is { } n && Math.Abs(n.Z) >= cosTolerance);
            })
            .ToList();
        return new DicomScanResult(series, skipped);
    }
}
