using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>A whole decoded shard: image (HU as float for CT, [0,1] for MR), body mask (0/1), labels when present.</summary>
public sealed record ShardContents(Volume<float> Image, Volume<byte> Body, Volume<byte>? Labels);

/// <summary>One chunk that failed verification.</summary>
public sealed record ChunkProblem(string File, int Chunk, string Reason);
