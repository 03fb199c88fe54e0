using System.Text.RegularExpressions;

namespace Streaming.Shards.Cache;

public sealed record GcReport(IReadOnlyList<string> Removed, long BytesFreed, bool DryRun)
{
    /// <summary>Files kept because a live ingest holds a lease on the key folder (written since it began).</summary>
    public int KeptForLiveIngest { get; init; }
    /// <summary>Unreadable catalog lines met (their shards are kept: the line may be a damaged record of a good volume).</summary>
    public IReadOnlyList<CatalogProblem> CatalogProblems { get; init; } = [];
}

/// <summary>
/// Removes temp leftovers (<c>*.tmp</c> anywhere in the key folder) and shards that the catalog view does not reference
/// (orphans of killed workers, and shards of records superseded by a newer record for the same volume id).
/// A file modified within <c>minAge</c> is kept, and so is every file written since a live ingest's lease began
/// (<see cref="CacheLease"/>), so gc never deletes what an ingest is writing, whatever <c>minAge</c>. A shard whose
/// fingerprint appears in an unreadable catalog line is kept too.
/// </summary>
public static partial class CacheGc
{
    public static readonly TimeSpan DefaultMinAge = TimeSpan.FromHours(1);

    public static GcReport Collect(CacheStore store, bool dryRun, TimeSpan? minAge = null)
    {
        var cutoff = DateTime.UtcNow - (minAge ?? DefaultMinAge);
        // Leases are read after the cutoff is fixed: an ingest that starts later writes only files newer than the cutoff.
        if (CacheLease.OldestLive(store.Layout, dryRun) is { } live && live.AddSeconds(-2) < cutoff) cutoff = live.AddSeconds(-2);
        var volumes = store.Volumes();
        var referenced = volumes.Select(r => r.ShardFile).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var p in store.Catalog.Problems)
            foreach (Match m in Fingerprint().Matches(p.Text)) referenced.Add(store.Layout.ShardFileName(m.Value));
        var doomed = new List<FileInfo>();
        var keyDir = new DirectoryInfo(store.Layout.KeyDir);
        doomed.AddRange(keyDir.EnumerateFiles("*" + CacheLayout.TempExtension, SearchOption.AllDirectories));
        var shards = new DirectoryInfo(store.Layout.ShardsDir);
        if (shards.Exists)
            doomed.AddRange(shards.EnumerateFiles("*" + Format.ShardFormat.FileExtension).Where(f => !referenced.Contains(f.Name)));

        var removed = new List<string>();
        long bytes = 0;
        var kept = 0;
        foreach (var f in doomed.OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            if (f.LastWriteTimeUtc > cutoff) { kept++; continue; }
            long length;
            try { length = f.Length; } // read before deleting: FileInfo refreshes after Delete
            catch (FileNotFoundException) { continue; }
            if (!dryRun)
            {
                try { f.Delete(); }
                catch (FileNotFoundException) { continue; }
            }
            removed.Add(f.FullName);
            bytes += length;
        }
        return new GcReport(removed, bytes, dryRun) { KeptForLiveIngest = kept, CatalogProblems = store.Catalog.Problems };
    }

    [GeneratedRegex("[0-9a-f]{32}")]
    private static partial Regex Fingerprint();
}
