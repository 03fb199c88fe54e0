using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>How a shard is laid out: chunk extent and Zstd level (the <c>shard:</c> part of a preprocessing spec).</summary>
public sealed record ShardSpec
{
    /// <summary>Chunk extent in voxels (x, y, z). 64x64x16 keeps a 128x128x32 patch within 3.4x its own bytes.</summary>
    public Int3 ChunkShape { get; init; } = new(64, 64, 16);
    public int ZstdLevel { get; init; } = 3;

    public void Validate()
    {
        if (!ChunkShape.AllPositive) throw new ArgumentException("shard.chunkShape must be positive");
        if (ZstdLevel is < 1 or > 22) throw new ArgumentException("shard.zstdLevel must be in 1..22");
    }
}
