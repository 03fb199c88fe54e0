using System.Text.Json;
using Streaming.Imaging.Files;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;

namespace Streaming.Shards.Cache;

/// <summary>
/// One spec's cache folder, written by one worker for one partition (ingest, gc, merge). Workers on a shared
/// filesystem each commit to their own <c>catalog/&lt;partition&gt;.jsonl</c>, so they need no locking; everyone reads
/// the union (see <see cref="Catalog"/>). The view is loaded on open and updated by this store's own commits; call
/// <see cref="CacheReader.Refresh"/> to see other workers' newer commits. Consumers open a <see cref="CacheReader"/>.
/// </summary>
public sealed class CacheStore : CacheReader
{
    private CacheStore(CacheLayout layout, PreprocessSpec spec, string partition) : base(layout, spec)
    {
        Partition = partition;
    }

    public string Partition { get; }

    /// <summary>
    /// Opens (creating if needed) the folder for <paramref name="spec"/> under <paramref name="cacheRoot"/>. An existing
    /// spec.json must equal the spec's canonical JSON, otherwise <see cref="InvalidDataException"/>.
    /// </summary>
    public static CacheStore Open(string cacheRoot, PreprocessSpec spec, string partition = CacheLayout.AllPartition)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        CacheLayout.CheckPartition(partition);
        var layout = new CacheLayout(Path.GetFullPath(cacheRoot), SpecHasher.Key(spec));
        var canonical = SpecHasher.CanonicalJson(spec);
        Directory.CreateDirectory(layout.ShardsDir);
        Directory.CreateDirectory(layout.CatalogDir);
        Directory.CreateDirectory(layout.FailuresDir);
        if (File.Exists(layout.SpecFile)) CheckStoredSpec(layout, canonical, spec.Name);
        else JsonLines.WriteAtomically(layout.SpecFile, [canonical]);
        return new CacheStore(layout, spec, partition);
    }

    /// <summary>Opens an existing key folder from its spec.json (for gc and merge); the key must match the spec.</summary>
    public static CacheStore OpenExisting(string keyDir, string partition = CacheLayout.AllPartition)
    {
        var (layout, spec) = ReadKeyFolder(keyDir);
        return Open(layout.Root, spec, partition);
    }

    /// <summary>Writes the shard for <paramref name="header"/>'s fingerprint and commits its record.</summary>
    public VolumeRecord WriteAndCommit(ShardInput volume, VolumeRecord header)
    {
        var record = ShardWriter.Write(ShardPath(header.SourceFingerprint), volume, header with { SpecKey = Key }, Spec.Shard);
        return Commit(record);
    }

    /// <summary>
    /// Appends the record to this partition's catalog (one fsynced line; see <see cref="JsonLines"/>). The shard must
    /// already be in place under its fingerprint name with the recorded size.
    /// </summary>
    public VolumeRecord Commit(VolumeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.SpecKey != Key)
            throw new ArgumentException($"record {record.Id} has spec key {record.SpecKey}, this cache is {Key}");
        if (record.ShardFile != Layout.ShardFileName(record.SourceFingerprint))
            throw new ArgumentException($"record {record.Id}: shard file '{record.ShardFile}' is not named for fingerprint {record.SourceFingerprint}");
        var shard = new FileInfo(ShardPath(record.SourceFingerprint));
        if (!shard.Exists) throw new FileNotFoundException($"{shard.FullName}: shard missing; write it before committing {record.Id}", shard.FullName);
        if (shard.Length != record.ShardBytes)
            throw new InvalidDataException($"{shard.FullName}: {shard.Length} bytes on disk, record {record.Id} says {record.ShardBytes}");
        JsonLines.Append(Layout.CatalogPath(Partition), VolumeRecordJson.Serialize(record));
        CatalogView.Upsert(record);
        return record;
    }

    public void RecordFailure(string file, string stage, string reason, string? id = null)
    {
        var f = new FailureRecord(RawPath.Display(file), stage, RawPath.Display(reason).ReplaceLineEndings(" "), DateTimeOffset.UtcNow, id);
        JsonLines.Append(Layout.FailuresPath(Partition), JsonSerializer.Serialize(f, FailureJson));
    }

    /// <summary>
    /// Writes the current union as <c>catalog/merged.jsonl</c> (temp file + rename, so readers see the old or the new
    /// file, never a partial one). Partition files are kept: workers may still be appending, and the union of
    /// merged + partitions equals the union of partitions alone. Returns the merged file's path.
    /// </summary>
    public string MergeCatalogs()
    {
        Refresh();
        JsonLines.WriteAtomically(Layout.MergedCatalogPath, CatalogView.Volumes.Select(VolumeRecordJson.Serialize));
        return Layout.MergedCatalogPath;
    }
}
