using Streaming.Imaging.Files;
using Streaming.Imaging.Volumes;
using Streaming.Shards.Format;

namespace Streaming.Ingest.Read;

public enum SourceKind { Nifti, DicomSeries }

/// <summary>
/// One input volume found by discovery: a NIfTI file or the files of one DICOM series, with an optional label map.
/// Id is stable across runs (dataset + relative path or series UID) and unique within a catalog.
/// </summary>
public sealed record SourceItem(
    string Id,
    string Dataset,
    Modality Modality,
    SourceKind Kind,
    IReadOnlyList<string> Files,
    string? LabelPath = null)
{
    /// <summary>The path reported in errors and catalogs: the file, or the series folder.</summary>
    public string DisplayPath => RawPath.Display(Kind == SourceKind.Nifti || Files.Count == 0 ? Files.FirstOrDefault() ?? Id : Path.GetDirectoryName(Files[0]) ?? Files[0]);

    /// <summary>The source as its cache record states it (paths as text: non-UTF-8 bytes escaped, see <see cref="RawPath.Display"/>).</summary>
    public ShardSource ToShardSource() => new(Id, Dataset, Modality, Files.Select(RawPath.Display).ToArray(), LabelPath is { } lp ? RawPath.Display(lp) : null);
}
