using System.Text.Json;
using Streaming.Ingest.Preprocess;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;

namespace Streaming.Shards.Cache;

/// <summary>
/// One spec's cache folder, used by one worker writing one partition. Workers on a shared filesystem each commit to
/// their own <c>catalog/&lt;partition&gt;.jsonl</c>, so they need no locking; everyone reads the union (see
/// <see cref="Catalog"/>). The view is loaded on open and updated by this store's own commits; call
/// <see cref="Refresh"/> to see other workers' newer commits.
/// </summary>
public sealed class CacheStore
{
    private static readonly JsonSerializerOptions FailureJson = new(VolumeRecordJson.Options);

    private Catalog _catalog;

    private CacheStore(CacheLayout layout, PreprocessSpec spec, string partition)
    {
        Layout = layout;
        Spec = spec;
        Partition = partition;
        _catalog = Catalog.Load(layout);
    }

    public CacheLayout Layout { get; }
    public PreprocessSpec Spec { get; }
    public string Key => Layout.Key;
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
        if (File.Exists(layout.SpecFile))
        {
            var existing = File.ReadAllText(layout.SpecFile).Trim();
            if (existing != canonical)
                throw new InvalidDataException($"{layout.SpecFile}: stored spec differs from spec '{spec.Name}' with the same key {layout.Key}; " +
                                               $"the file was edited or written by another format version: restore it, or delete {layout.KeyDir} to rebuild that cache");
        }
        else
        {
            JsonLines.WriteAtomically(layout.SpecFile, [canonical]);
        }
        return new CacheStore(layout, spec, partition);
    }

    /// <summary>Opens an existing key folder from its spec.json (for verify, gc, ls); the key must match the spec.</summary>
    public static CacheStore OpenExisting(string keyDir, string partition = CacheLayout.AllPartition)
    {
        var layout = CacheLayout.FromKeyDir(keyDir);
        if (!File.Exists(layout.SpecFile)) throw new InvalidDataException($"{layout.KeyDir}: no spec.json; not a cache key folder");
        var spec = SpecHasher.Parse(File.ReadAllText(layout.SpecFile), layout.SpecFile);
        var key = SpecHasher.Key(spec);
        if (key != layout.Key)
            throw new InvalidDataException($"{layout.SpecFile}: spec hashes to key {key}, but its folder is {layout.Key}");
        return Open(layout.Root, spec, partition);
    }

    public string ShardPath(string fingerprint) => Layout.ShardPath(fingerprint);

    /// <summary>
    /// True when the catalog view holds the fingerprint's record and its shard passes the cheap reuse checks
    /// (<see cref="ReuseProblem"/>: present, the recorded size, an intact Arrow footer).
    /// </summary>
    public bool IsDone(string fingerprint) => _catalog.ContainsFingerprint(fingerprint) && ReuseProblem(fingerprint) is null;

    /// <summary>
    /// Why the cached shard of this fingerprint cannot be reused (missing, truncated or grown, footer damaged), or null
    /// when it can be or nothing is cached for it. Reads 10 bytes; a flipped bit inside a chunk is left to
    /// <see cref="CacheVerifier"/>, which reads every chunk.
    /// </summary>
    public string? ReuseProblem(string fingerprint)
    {
        if (_catalog.FindByFingerprint(fingerprint) is not { } record) return null;
        var path = ShardPath(fingerprint);
        var fi = new FileInfo(path);
        if (!fi.Exists) return $"cached shard {path} is missing; re-ingesting {record.Id}";
        if (fi.Length != record.ShardBytes) return $"cached shard {path} has {fi.Length} bytes, the catalog says {record.ShardBytes}; re-ingesting {record.Id}";
        if (ShardFooter.Problem(path) is { } footer) return $"cached shard {path}: {footer}; re-ingesting {record.Id}";
        return null;
    }

    /// <summary>Writes the shard for <paramref name="header"/>'s fingerprint and commits its record.</summary>
    public VolumeRecord WriteAndCommit(PreprocessedVolume volume, VolumeRecord header)
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
        _catalog.Upsert(record);
        return record;
    }

    public void RecordFailure(string file, string stage, string reason, string? id = null)
    {
        var f = new FailureRecord(Read.Files.RawPath.Display(file), stage, Read.Files.RawPath.Display(reason).ReplaceLineEndings(" "), DateTimeOffset.UtcNow, id);
        JsonLines.Append(Layout.FailuresPath(Partition), JsonSerializer.Serialize(f, FailureJson));
    }

    /// <summary>Reloads the catalog view from every partition on disk.</summary>
    public void Refresh() => _catalog = Catalog.Load(Layout);

    /// <summary>The catalog view as of the last open/refresh plus this store's commits (updated in place on commit).</summary>
    public Catalog Catalog => _catalog;

    /// <summary>The latest record per volume id across all partitions, read from disk now.</summary>
    public IReadOnlyList<VolumeRecord> Volumes()
    {
        Refresh();
        return _catalog.Volumes;
    }

    /// <summary>Every failure line of every partition, oldest first (lines that cannot be read are left out).</summary>
    public IReadOnlyList<FailureRecord> Failures()
    {
        if (!Directory.Exists(Layout.FailuresDir)) return [];
        var all = new List<FailureRecord>();
        foreach (var file in Directory.GetFiles(Layout.FailuresDir, "*" + CacheLayout.LinesExtension).Order(StringComparer.Ordinal))
            foreach (var (line, _) in JsonLines.Read(file))
            {
                try
                {
                    if (JsonSerializer.Deserialize<FailureRecord>(line, FailureJson) is { } f) all.Add(f);
                }
                catch (JsonException) { /* a damaged failure line hides nothing that a rerun would not report again */ }
            }
        return all.OrderBy(f => f.Time).ToArray();
    }

    /// <summary>
    /// Inputs whose latest state is failed: the newest failure of each volume id (or file, when no id) that no
    /// catalog record newer than it supersedes. Notes (stage *-note) are not failures. Reruns add failure lines;
    /// this count does not grow with them.
    /// </summary>
    public IReadOnlyList<FailureRecord> CurrentFailures()
    {
        var view = Volumes().ToDictionary(r => r.Id, StringComparer.Ordinal);
        return Failures()
            .Where(f => !f.Stage.EndsWith("-note", StringComparison.Ordinal))
            .GroupBy(f => f.Id ?? f.File, StringComparer.Ordinal)
            .Select(g => g.MaxBy(f => f.Time)!)
            .Where(f => f.Id is null || !view.TryGetValue(f.Id, out var r) || r.CreatedUtc < f.Time)
            .OrderBy(f => f.Id ?? f.File, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// Writes the current union as <c>catalog/merged.jsonl</c> (temp file + rename, so readers see the old or the new
    /// file, never a partial one). Partition files are kept: workers may still be appending, and the union of
    /// merged + partitions equals the union of partitions alone. Returns the merged file's path.
    /// </summary>
    public string MergeCatalogs()
    {
        Refresh();
        JsonLines.WriteAtomically(Layout.MergedCatalogPath, _catalog.Volumes.Select(VolumeRecordJson.Serialize));
        return Layout.MergedCatalogPath;
    }
}
