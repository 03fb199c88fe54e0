using Streaming.Ingest.Cache;
using Streaming.Ingest.Shards;

namespace Streaming.Evaluation.Data;

/// <summary>
/// Labeled volumes from a shard cache. Ingest already resampled the labels nearest-neighbour and cropped them with the
/// image, so a case is read back exactly as pre-training saw its image.
/// </summary>
public static class LabeledCaseLoader
{
    /// <summary>Records of every labeled volume in the cache key folder, ordered by id (optionally one dataset only).</summary>
    public static IReadOnlyList<VolumeRecord> LabeledRecords(CacheStore store, string? dataset = null) =>
        store.Volumes().Where(r => r.HasLabels && (dataset is null || r.Dataset == dataset))
            .OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

    public static LabeledCase Load(CacheStore store, VolumeRecord record)
    {
        if (!record.HasLabels) throw new InvalidDataException($"{record.Id}: the cached volume has no label map");
        var path = store.ShardPath(record.SourceFingerprint);
        using var shard = ShardVolume.Open(path);
        var all = shard.ReadAll();
        var labels = all.Labels ?? throw new InvalidDataException($"{path}: shard of {record.Id} lacks its labels column");
        var input = InputScaling.For(record.Modality).Apply(all.Image);
        return new LabeledCase(record.Id, shard.Record, input, labels) { Source = all.Image };
    }

    public static IReadOnlyList<LabeledCase> LoadAll(CacheStore store, IEnumerable<VolumeRecord> records) =>
        records.Select(r => Load(store, r)).ToList();
}
