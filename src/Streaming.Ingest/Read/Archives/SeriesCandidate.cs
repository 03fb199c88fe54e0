using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read.Archives;

/// <summary>What NLST-style discovery needs to know about one DICOM series (from headers only).</summary>
public sealed record SeriesCandidate(
    string SeriesInstanceUid,
    string Folder,
    string? Modality,
    bool IsAxial,
    int SliceCount,
    int SeriesNumber,
    string Description,
    IReadOnlyList<string> Files);

/// <summary>Header-only scan of one folder's files into series; files that are not DICOM images are reported, not fatal.</summary>
public interface ISeriesScanner
{
    (IReadOnlyList<SeriesCandidate> Series, IReadOnlyList<(string Path, string Reason)> Skipped) Scan(string folder, IReadOnlyList<string> files);
}
