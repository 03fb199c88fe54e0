using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// One series found by <see cref="DicomSeriesScanner"/>; Files are in path order (the reader sorts by position).
/// SeriesKey is the SeriesInstanceUID, or a stable folder-based key for files whose UID is blank (SeriesInstanceUid null).
/// </summary>
public sealed record DicomSeriesInfo(
    string SeriesKey,
    string? SeriesInstanceUid,
    string? StudyInstanceUid,
    string? PatientId,
    string? Modality,
    string? SeriesDescription,
    Vec3? RowCosine,
    Vec3? ColumnCosine,
    IReadOnlyList<string> Files,
    int SliceCount,
    int Rows,
    int Columns,
    bool IsAxial)
{
    /// <summary>ImageOrientationPatient as its six values; null when the files do not carry it.</summary>
    public int? SeriesNumber { get; init; }

    public double[]? ImageOrientation => RowCosine is { } r && ColumnCosine is { } c ? [r.X, r.Y, r.Z, c.X, c.Y, c.Z] : null;
}

/// <summary>A file the scanner could not use, and why.</summary>
public sealed record DicomSkippedFile(string Path, string Reason);

public sealed record DicomScanResult(IReadOnlyList<DicomSeriesInfo> Series, IReadOnlyList<DicomSkippedFile> Skipped);
