using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>What a sampler needs to know about one cached volume without decoding it.</summary>
public sealed record ShardVolumeInfo(
    string Id,
    string Dataset,
    Modality Modality,
    Int3 Shape,
    Vec3 Spacing,
    long BodyVoxels,
    bool HasLabels)
{
    /// <summary>The chunk grid's chunk extent, when known: a reader of whole slices groups them by chunk layer.</summary>
    public Int3? ChunkShape { get; init; }
}

/// <summary>Decode cost of one region read, for telemetry and the "decode only touched chunks" guarantee.</summary>
public readonly record struct RegionReadStats(int ChunksDecoded, long BytesDecoded);

/// <summary>
/// Random access to one cached volume. ReadRegion decodes only the chunks that overlap the region.
/// Buffers are X-fastest with the region's extent; the region must lie inside Shape.
/// Throws <see cref="ChunkCorruptException"/> when a chunk fails its checksum.
/// Not thread-safe: open one per worker.
/// </summary>
public interface IShardVolume : IDisposable
{
    ShardVolumeInfo Info { get; }
    RegionReadStats ReadRegion(Int3 origin, Int3 size, Span<float> image, Span<byte> body, Span<byte> labels = default);
}

public sealed class ChunkCorruptException(string file, int chunk, string reason)
    : IOException($"{file}: chunk {chunk} is corrupt ({reason})")
{
    public string File { get; } = file;
    public int Chunk { get; } = chunk;
}
