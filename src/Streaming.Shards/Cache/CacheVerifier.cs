using Streaming.Shards.Format;


namespace Streaming.Shards.Cache;

/// <summary>Result of <see cref="CacheVerifier.Verify"/>; chunk -1 marks a whole-file problem (unreadable, wrong size).</summary>
public sealed record VerifyReport(int Volumes, long ChunksChecked, IReadOnlyList<ChunkProblem> Corrupt, IReadOnlyList<string> MissingShards)
{
    /// <summary>Catalog lines that could not be read (reported, skipped; the rest is verified).</summary>
    public IReadOnlyList<CatalogProblem> CatalogProblems { get; init; } = [];
    /// <summary>Records whose shard is corrupt or missing: what <c>cache verify --repair</c> re-ingests.</summary>
    public IReadOnlyList<VolumeRecord> Damaged { get; init; } = [];
    public bool Ok => Corrupt.Count == 0 && MissingShards.Count == 0 && CatalogProblems.Count == 0;
}

/// <summary>Re-reads every cataloged shard and recomputes every chunk checksum.</summary>
public static class CacheVerifier
{
    public static VerifyReport Verify(CacheReader store, IProgress<VolumeRecord>? progress = null, CancellationToken ct = default)
    {
        var corrupt = new List<ChunkProblem>();
        var missing = new List<string>();
        var damaged = new List<VolumeRecord>();
        long chunks = 0;
        var volumes = store.Volumes();
        foreach (var r in volumes)
        {
            ct.ThrowIfCancellationRequested();
            var path = store.ShardPath(r.SourceFingerprint);
            if (!File.Exists(path))
            {
                missing.Add(path);
                damaged.Add(r);
                continue;
            }
            var before = corrupt.Count;
            var size = new FileInfo(path).Length;
            if (size != r.ShardBytes)
                corrupt.Add(new ChunkProblem(path, -1, $"file has {size} bytes, catalog says {r.ShardBytes}"));
            try
            {
                using var shard = ShardVolume.Open(path);
                corrupt.AddRange(shard.VerifyChunks(r.ChunkChecksums, ct));
                chunks += shard.Grid.Count;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                corrupt.Add(new ChunkProblem(path, -1, e.Message));
            }
            if (corrupt.Count > before) damaged.Add(r);
            progress?.Report(r);
        }
        return new VerifyReport(volumes.Count, chunks, corrupt, missing) { CatalogProblems = store.Catalog.Problems, Damaged = damaged };
    }
}
