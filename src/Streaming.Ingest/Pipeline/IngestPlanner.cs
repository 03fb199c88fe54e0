using Streaming.Shards.Cache;
using Streaming.Ingest.Read;
using Streaming.Ingest.Read.Archives;
using Streaming.Shards.Specs;

namespace Streaming.Ingest.Pipeline;

/// <summary>What a real ingest would do with one input: <c>ingest</c>, <c>skip</c> or <c>fail</c>, and why.</summary>
public sealed record PlannedItem(string Action, string? VolumeId, string Path, string Reason);

/// <summary>The plan of an ingest: every input found and what would happen to it; the cache key it would fill.</summary>
public sealed record IngestPlan(string CacheKey, string KeyDir, bool CacheExists, IReadOnlyList<PlannedItem> Items)
{
    public int Count(string action) => Items.Count(i => i.Action == action);
}

/// <summary>
/// Entry point of <c>ingest --dry-run</c>: runs discovery and the skip rules of <see cref="IngestPipeline{TLoaded,TProcessed}"/>
/// (partition, duplicate ids, modality, already cached) without reading pixels or writing anything, not even the cache
/// folder. Inputs discovery cannot resolve (e.g. a DICOM folder with no readable series) are listed as <c>fail</c>.
/// </summary>
public static class IngestPlanner
{
    public const string Ingest = "ingest", Skip = "skip", Fail = "fail";

    public static IngestPlan Plan(IngestOptions o, CancellationToken ct = default)
    {
        o.Validate();
        var key = SpecHasher.Key(o.Spec);
        var layout = new CacheLayout(Path.GetFullPath(o.CacheRoot), key);
        var store = File.Exists(layout.SpecFile) ? CacheStore.OpenExisting(layout.KeyDir) : null;
        var discovery = new ArchiveDiscovery(new GdcmSeriesScanner());
        var items = new List<PlannedItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var p = o.Pipeline.Partition;
        foreach (var unit in o.Sources.SelectMany(s => discovery.Units(s, o.Spec.Modality)))
        {
            ct.ThrowIfCancellationRequested();
            if (!p.Owns(unit.Key)) { items.Add(new(Skip, unit.Key, unit.PatientFolder ?? unit.Key, $"belongs to another partition than {p}")); continue; }
            var found = discovery.Resolve(unit);
            foreach (var n in found.Notes) items.Add(new(Skip, n.VolumeId, n.Path, $"note: {n.Reason}"));
            if (found.Failure is { } f) { items.Add(new(Fail, f.VolumeId, f.Path, f.Reason)); continue; }
            var item = found.Item!;
            if (!seen.Add(item.Id)) { items.Add(new(Fail, item.Id, item.DisplayPath, $"duplicate volume id {item.Id} (another input already has it)")); continue; }
            if (item.Modality != o.Spec.Modality) { items.Add(new(Skip, item.Id, item.DisplayPath, $"{item.Modality} volume, spec is {o.Spec.Modality}")); continue; }
            string fp;
            try { fp = SourceFingerprint.Compute(item); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { items.Add(new(Fail, item.Id, item.DisplayPath, e.Message)); continue; }
            if (store is not null && store.IsDone(fp))
                items.Add(o.Pipeline.Force
                    ? new(Ingest, item.Id, item.DisplayPath, "already cached; --force re-ingests it")
                    : new(Skip, item.Id, item.DisplayPath, $"already cached (shard {fp})"));
            else items.Add(new(Ingest, item.Id, item.DisplayPath, item.LabelPath is { } l ? $"new; labels {l}" : "new"));
        }
        return new IngestPlan(key, layout.KeyDir, store is not null, items);
    }
}
