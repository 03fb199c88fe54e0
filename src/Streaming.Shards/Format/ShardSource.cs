using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>
/// Where a cached volume came from, as its <see cref="VolumeRecord"/> states it: a stable id (unique within a
/// catalog), its dataset and modality, the source files (one NIfTI file or a DICOM series) and the label map, if any.
/// </summary>
public sealed record ShardSource(string Id, string Dataset, Modality Modality, IReadOnlyList<string> SourcePaths, string? LabelPath = null);
