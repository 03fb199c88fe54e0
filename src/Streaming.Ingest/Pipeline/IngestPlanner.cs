using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Dicom.Isolation;
using Streaming.Ingest.Read;
using Streaming.Ingest.Read.Archives;
using Streaming.Shards.Cache;
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
/// (partition, walk findings, duplicate ids, modality, already cached, damaged cached shard) without reading pixels or
/// writing anything, not even the cache folder: an existing cache is opened read-only (<see cref="CacheReader"/>).
/// Inputs discovery cannot resolve (e.g. a DICOM folder with no readable series) are listed as <c>fail</c>. DICOM
/// headers are scanned through the same GDCM worker processes as a real ingest (unless <c>IsolateDicom</c> is off).
/// </summary>
public static class IngestPlanner
{
    public const string Ingest = "ingest", Skip = "skip", Fail = "fail";

    public static IngestPlan Plan(IngestOptions o, CancellationToken ct = default)
    {
        o.ValidateInputs();
        var key = SpecHasher.Key(o.Spec);
        var layout = new CacheLayout(Path.GetFullPath(o.CacheRoot), key);
        var cache = File.Exists(layout.SpecFile) ? CacheReader.Open(layout.Root, o.Spec) : null;
        using var pool = o.IsolateDicom ? new GdcmWorkerPool(o.Pipeline.DiscoveryParallelism) : null;
        IGdcmAccess gdcm = pool is null ? InProcessGdcm.Instance : pool;
        var discovery = new ArchiveDiscovery(new GdcmSeriesScanner(gdcm));
        var items = new List<PlannedItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var p = o.Pipeline.Partition;
        foreach (var unit in o.Sources.SelectMany(s => discovery.Units(s, o.Spec.Modality, src => new GdcmSeriesScanner(gdcm, src.Root))))
        {
            ct.ThrowIfCancellationRequested();
            if (!p.Owns(unit.Key)) { items.Add(new(Skip, unit.Key, unit.PatientFolder ?? unit.Key, $"belongs to another partition than {p}")); continue; }
            var found = discovery.Resolve(unit);
            foreach (var n in found.Notes) items.Add(new(Skip, n.VolumeId, n.Path, $"note: {n.Reason}"));
            foreach (var f in found.MoreFailures) items.Add(new(Fail, f.VolumeId, f.Path, f.Reason));
            if (found.Failure is { } failure) { items.Add(new(Fail, failure.VolumeId, failure.Path, failure.Reason)); continue; }
            if (found.Item is not { } item) continue; // only findings of the archive walk
            if (!seen.Add(item.Id)) { items.Add(new(Fail, item.Id, item.DisplayPath, $"duplicate volume id {item.Id} (another input already has it)")); continue; }
            if (item.Modality != o.Spec.Modality) { items.Add(new(Skip, item.Id, item.DisplayPath, $"{item.Modality} volume, spec is {o.Spec.Modality}")); continue; }
            string fp;
            try { fp = SourceFingerprint.Compute(item); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { items.Add(new(Fail, item.Id, item.DisplayPath, e.Message)); continue; }
            items.Add(Decide(cache, fp, item, o.Pipeline.Force));
        }
        return new IngestPlan(key, layout.KeyDir, cache is not null, items);
    }

    /// <summary>The pipeline's rule for a resolved item: new, cached (skip unless forced) or cached but damaged (re-ingest).</summary>
    private static PlannedItem Decide(CacheReader? cache, string fp, SourceItem item, bool force)
    {
        var isNew = item.LabelPath is { } l ? $"new; labels {l}" : "new";
        if (cache is null || !cache.Catalog.ContainsFingerprint(fp)) return new(Ingest, item.Id, item.DisplayPath, isNew);
        if (force) return new(Ingest, item.Id, item.DisplayPath, "already cached; --force re-ingests it");
        return cache.ReuseProblem(fp) is { } damage
            ? new(Ingest, item.Id, item.DisplayPath, damage)
            : new(Skip, item.Id, item.DisplayPath, $"already cached (shard {fp})");
    }
}
