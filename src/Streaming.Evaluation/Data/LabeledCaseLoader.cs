using Streaming.Shards.Cache;
using Streaming.Shards.Format;
using Streaming.Sampling;

namespace Streaming.Evaluation.Data;

/// <summary>
/// Labeled volumes from a shard cache. Ingest already resampled the labels nearest-neighbour and cropped them with the
/// image, so a case is read back exactly as pre-training saw its image.
/// </summary>
public static class LabeledCaseLoader
{
    /// <summary>Records of every labeled volume in the cache key folder, ordered by id (optionally one dataset only).</summary>
    public static IReadOnlyList<VolumeRecord> LabeledRecords(CacheReader store, string? dataset = null) =>
        store.Volumes().Where(r => r.HasLabels && (dataset is null || r.Dataset == dataset))
            .OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

    /// <summary>One labeled volume, its image through <paramref name="scaling"/> (the model's input contract).</summary>
    public static LabeledCase Load(CacheReader store, VolumeRecord record, InputScaling scaling)
    {
        if (!record.HasLabels) throw new InvalidDataException($"{record.Id}: the cached volume has no label map");
        var path = store.ShardPath(record.SourceFingerprint);
        using var shard = ShardVolume.Open(path);
        var all = shard.ReadAll();
        var labels = all.Labels ?? throw new InvalidDataException($"{path}: shard of {record.Id} lacks its labels column");
        scaling.Apply(all.Image.Data);
        return new LabeledCase(record.Id, shard.Record, all.Image, labels);
    }

    public static IReadOnlyList<LabeledCase> LoadAll(CacheReader store, IEnumerable<VolumeRecord> records, Func<VolumeRecord, InputScaling> scaling) =>
        records.Select(r => Load(store, r, scaling(r))).ToList();
}
