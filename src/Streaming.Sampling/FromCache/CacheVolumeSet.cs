using Streaming.Shards.Cache;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;

namespace Streaming.Sampling.FromCache;

/// <summary>
/// The volumes of one cache key, as the sampler sees them: their infos from the catalog (no shard is opened) and a
/// per-worker opener. Readers keep a small LRU of decoded chunks because the two views of a pair share most chunks.
/// </summary>
public sealed class CacheVolumeSet
{
    private readonly Dictionary<string, string> _paths;

    private CacheVolumeSet(string keyDir, IReadOnlyList<ShardVolumeInfo> volumes, Dictionary<string, string> paths, int cachedChunks)
    {
        KeyDir = keyDir; Volumes = volumes; _paths = paths; CachedChunks = cachedChunks;
    }

    public string KeyDir { get; }
    public IReadOnlyList<ShardVolumeInfo> Volumes { get; }
    public int CachedChunks { get; }

    /// <summary>Opens the cache key of <paramref name="specPath"/> under <paramref name="cacheRoot"/>.</summary>
    public static CacheVolumeSet Open(string cacheRoot, string specPath, int cachedChunks = 64)
    {
        var spec = SpecLoader.Load(specPath);
        return From(CacheReader.Open(cacheRoot, spec), cachedChunks);
    }

    public static CacheVolumeSet OpenKey(string keyDir, int cachedChunks = 64) => From(CacheReader.OpenKey(keyDir), cachedChunks);

    private static CacheVolumeSet From(CacheReader store, int cachedChunks)
    {
        var keyDir = store.Layout.KeyDir;
        var records = store.Volumes();
        if (records.Count == 0) throw new InvalidDataException($"{keyDir}: the cache holds no volumes");
        var infos = records.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => r.ToInfo()).ToList();
        var paths = records.ToDictionary(r => r.Id, r => store.ShardPath(r.SourceFingerprint));
        return new CacheVolumeSet(keyDir, infos, paths, cachedChunks);
    }

    public IShardVolume Open(ShardVolumeInfo info) =>
        ShardVolume.Open(_paths.TryGetValue(info.Id, out var p) ? p : throw new KeyNotFoundException($"volume {info.Id} is not in {KeyDir}"), CachedChunks);
}
