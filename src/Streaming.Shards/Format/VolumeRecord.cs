using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>
/// Everything known about one cached volume: where it came from, how it was made, its geometry before and after
/// preprocessing, and how its shard is laid out. One per catalog line and, as JSON, in the shard's schema metadata.
/// The caller fills the identity part (<see cref="Header"/>); <see cref="ShardWriter"/> fills the rest.
/// The copy embedded in the shard has no <see cref="ChunkOffsets"/> and <see cref="ShardBytes"/> = 0 (unknown
/// until the file is complete); <see cref="ShardVolume"/> fills ShardBytes from the file on open.
/// </summary>
public sealed record VolumeRecord
{
    public required string Id { get; init; }
    public required string Dataset { get; init; }
    public required Modality Modality { get; init; }
    public required IReadOnlyList<string> SourcePaths { get; init; }
    public string? LabelPath { get; init; }
    public required string SourceFingerprint { get; init; }
    public required string SpecKey { get; init; }

    public GeometryRecord? OriginalGeometry { get; init; }
    public GeometryRecord? ResampledGeometry { get; init; }
    public GeometryRecord? FinalGeometry { get; init; }
    public CropBoxRecord? Crop { get; init; }
    public IntensityStats? Stats { get; init; }
    public long BodyVoxels { get; init; }
    public bool HasLabels { get; init; }

    /// <summary>"int16" (CT, HU rounded and saturated) or "float32" (MR).</summary>
    public string? ImageDType { get; init; }
    public int[]? ChunkShape { get; init; }
    public int[]? ChunkGrid { get; init; }
    public string ChecksumAlgorithm { get; init; } = ShardFormat.ChecksumAlgorithm;
    /// <summary>Hex XXH64 of each chunk's uncompressed bytes, in chunk index order.</summary>
    public IReadOnlyList<string>? ChunkChecksums { get; init; }
    /// <summary>File offset of each chunk's record batch message, as in the IPC footer (catalog copy only; for diagnostics).</summary>
    public IReadOnlyList<long>? ChunkOffsets { get; init; }

    public string? ShardFile { get; init; }
    public long ShardBytes { get; init; }
    public DateTimeOffset CreatedUtc { get; init; }
    public int FormatVersion { get; init; } = ShardFormat.Version;

    /// <summary>The identity part of a record for one source, ready for <see cref="ShardWriter.Write"/>.</summary>
    public static VolumeRecord Header(ShardSource source, string sourceFingerprint, string specKey) => new()
    {
        Id = source.Id,
        Dataset = source.Dataset,
        Modality = source.Modality,
        SourcePaths = source.SourcePaths.ToArray(),
        LabelPath = source.LabelPath,
        SourceFingerprint = sourceFingerprint,
        SpecKey = specKey,
    };

    /// <summary>
    /// <see cref="FinalGeometry"/> as a geometry. Also serialized, as "geometry" with its derived members: that is part
    /// of format version 1's embedded record (so of every shard's bytes) and stays; readers use finalGeometry.
    /// </summary>
    public VolumeGeometry Geometry =>
        (FinalGeometry ?? throw new InvalidDataException($"volume record {Id} has no final geometry")).ToGeometry();

    public ShardVolumeInfo ToInfo()
    {
        var g = Geometry;
        return new ShardVolumeInfo(Id, Dataset, Modality, g.Shape, g.Spacing, BodyVoxels, HasLabels)
        {
            ChunkShape = ChunkShape is { Length: 3 } c ? Int3.FromArray(c) : null,
        };
    }
}
