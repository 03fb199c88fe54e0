using Streaming.Shards.Format;

namespace Streaming.Shards.Cache;

/// <summary>Result of <see cref="CacheVerifier.Verify"/>; chunk -1 marks a whole-file problem (unreadable, wrong size).</summary>
public sealed record VerifyReport(int Volumes, long ChunksChecked, IReadOnlyList<ChunkProblem> Corrupt, IReadOnlyList<string> MissingShards)
{
    public bool Ok => Corrupt.Count == 0 && MissingShards.Count == 0;
}

/// <summary>Re-reads every cataloged shard and recomputes every chunk checksum.</summary>
public static class CacheVerifier
{
    public static VerifyReport Verify(CacheReader store, IProgress<VolumeRecord>? progress = null, CancellationToken ct = default)
    {
        var corrupt = new List<ChunkProblem>();
        var missing = new List<string>();
        long chunks = 0;
        var volumes = store.Volumes();
        foreach (var r in volumes)
        {
            ct.ThrowIfCancellationRequested();
            var path = store.ShardPath(r.SourceFingerprint);
            if (!File.Exists(path))
            {
                missing.Add(path);
                continue;
            }
            var size = new FileInfo(path).Length;
            if (size != r.ShardBytes)
                corrupt.Add(new ChunkProblem(path, -1, $"file has {size} bytes, catalog says {r.ShardBytes}"));
            try
            {
                using var shard = ShardVolume.Open(path);
                corrupt.AddRange(shard.VerifyChunks(r.ChunkChecksums, ct));
                chunks += shard.Grid.Count;
            }
            catch (InvalidDataException e)
            {
                corrupt.Add(new ChunkProblem(path, -1, e.Message));
            }
            progress?.Report(r);
        }
        return new VerifyReport(volumes.Count, chunks, corrupt, missing);
    }
}
