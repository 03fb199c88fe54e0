namespace Streaming.Shards.Cache;

public sealed record GcReport(IReadOnlyList<string> Removed, long BytesFreed, bool DryRun);

/// <summary>
/// Removes temp leftovers (<c>*.tmp</c> anywhere in the key folder) and shards that the catalog view does not reference
/// (orphans of killed workers, and shards of records superseded by a newer record for the same volume id).
/// A file modified within <c>minAge</c> is kept, because a live worker may be writing it or about to commit it;
/// with minAge = 0 run gc only when no worker is writing to this cache.
/// </summary>
public static class CacheGc
{
    public static readonly TimeSpan DefaultMinAge = TimeSpan.FromHours(1);

    public static GcReport Collect(CacheStore store, bool dryRun, TimeSpan? minAge = null)
    {
        var cutoff = DateTime.UtcNow - (minAge ?? DefaultMinAge);
        var referenced = store.Volumes().Select(r => r.ShardFile).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var doomed = new List<FileInfo>();
        var keyDir = new DirectoryInfo(store.Layout.KeyDir);
        doomed.AddRange(keyDir.EnumerateFiles("*" + CacheLayout.TempExtension, SearchOption.AllDirectories));
        var shards = new DirectoryInfo(store.Layout.ShardsDir);
        if (shards.Exists)
            doomed.AddRange(shards.EnumerateFiles("*" + Format.ShardFormat.FileExtension).Where(f => !referenced.Contains(f.Name)));

        var removed = new List<string>();
        long bytes = 0;
        foreach (var f in doomed.Where(f => f.LastWriteTimeUtc <= cutoff).OrderBy(f => f.FullName, StringComparer.Ordinal))
        {
            var length = f.Length; // read before deleting: FileInfo refreshes after Delete
            if (!dryRun)
            {
                try { f.Delete(); }
                catch (FileNotFoundException) { continue; }
            }
            removed.Add(f.FullName);
            bytes += length;
        }
        return new GcReport(removed, bytes, dryRun);
    }
}
