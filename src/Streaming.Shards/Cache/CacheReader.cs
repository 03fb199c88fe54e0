using System.Text.Json;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;

namespace Streaming.Shards.Cache;

/// <summary>
/// Read-only view of one spec's cache folder: what every consumer opens (sampling, evaluation, inspect, cache ls and
/// verify). Opening never creates, writes or repairs anything; a cache that is not there, or whose spec.json does not
/// match, is one clear error naming the folder. The view is loaded on open; <see cref="Refresh"/> re-reads it.
/// <see cref="CacheStore"/> is the writer, built on this view.
/// </summary>
public class CacheReader
{
    private protected static readonly JsonSerializerOptions FailureJson = new(VolumeRecordJson.Options);

    private protected CacheReader(CacheLayout layout, PreprocessSpec spec)
    {
        Layout = layout;
        Spec = spec;
        CatalogView = Catalog.Load(layout);
    }

    public CacheLayout Layout { get; }
    public PreprocessSpec Spec { get; }
    public string Key => Layout.Key;

    /// <summary>The catalog view as of the last open/refresh (plus a writer's own commits).</summary>
    public Catalog Catalog => CatalogView;

    private protected Catalog CatalogView { get; set; }

    /// <summary>
    /// Opens the existing cache of <paramref name="spec"/> under <paramref name="cacheRoot"/>. Throws
    /// <see cref="DirectoryNotFoundException"/> when that spec was never ingested there (a wrong --spec or --cache),
    /// <see cref="InvalidDataException"/> when the folder's spec.json differs from the spec.
    /// </summary>
    public static CacheReader Open(string cacheRoot, PreprocessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var layout = new CacheLayout(Path.GetFullPath(cacheRoot), SpecHasher.Key(spec));
        if (!File.Exists(layout.SpecFile))
            throw new DirectoryNotFoundException(
                $"{layout.KeyDir}: no cache for spec '{spec.Name}' (key {layout.Key}) under {layout.Root}; run `streaming ingest --spec SPEC --cache {layout.Root}` with this spec first, or pass the spec the cache was built with (`streaming cache ls` lists them)");
        CheckStoredSpec(layout, SpecHasher.CanonicalJson(spec), spec.Name);
        return new CacheReader(layout, spec);
    }

    /// <summary>Opens an existing key folder from its spec.json; the key must be the hash of that spec.</summary>
    public static CacheReader OpenKey(string keyDir)
    {
        var (layout, spec) = ReadKeyFolder(keyDir);
        return new CacheReader(layout, spec);
    }

    /// <summary>The layout and spec of an existing key folder, checked: spec.json is there and hashes to the folder's name.</summary>
    private protected static (CacheLayout Layout, PreprocessSpec Spec) ReadKeyFolder(string keyDir)
    {
        var layout = CacheLayout.FromKeyDir(keyDir);
        if (!File.Exists(layout.SpecFile)) throw new InvalidDataException($"{layout.KeyDir}: no spec.json; not a cache key folder");
        var spec = SpecHasher.Parse(File.ReadAllText(layout.SpecFile), layout.SpecFile);
        var key = SpecHasher.Key(spec);
        if (key != layout.Key)
            throw new InvalidDataException($"{layout.SpecFile}: spec hashes to key {key}, but its folder is {layout.Key}");
        return (layout, spec);
    }

    /// <summary>An existing spec.json must equal the spec's canonical JSON byte for byte.</summary>
    private protected static void CheckStoredSpec(CacheLayout layout, string canonical, string specName)
    {
        var existing = File.ReadAllText(layout.SpecFile).Trim();
        if (existing != canonical)
            throw new InvalidDataException($"{layout.SpecFile}: stored spec differs from spec '{specName}' with the same key {layout.Key}; " +
                                           $"the file was edited or written by another format version: restore it, or delete {layout.KeyDir} to rebuild that cache");
    }

    public string ShardPath(string fingerprint) => Layout.ShardPath(fingerprint);

    /// <summary>
    /// True when the catalog view holds the fingerprint's record and its shard passes the cheap reuse checks
    /// (<see cref="ReuseProblem"/>: present, the recorded size, an intact Arrow footer).
    /// </summary>
    public bool IsDone(string fingerprint) => CatalogView.ContainsFingerprint(fingerprint) && ReuseProblem(fingerprint) is null;

    /// <summary>
    /// Why the cached shard of this fingerprint cannot be reused (missing, truncated or grown, footer damaged), or null
    /// when it can be or nothing is cached for it. Reads 10 bytes; a flipped bit inside a chunk is left to
    /// <see cref="CacheVerifier"/>, which reads every chunk.
    /// </summary>
    public string? ReuseProblem(string fingerprint)
    {
        if (CatalogView.FindByFingerprint(fingerprint) is not { } record) return null;
        var path = ShardPath(fingerprint);
        var fi = new FileInfo(path);
        if (!fi.Exists) return $"cached shard {path} is missing; re-ingesting {record.Id}";
        if (fi.Length != record.ShardBytes) return $"cached shard {path} has {fi.Length} bytes, the catalog says {record.ShardBytes}; re-ingesting {record.Id}";
        if (ShardFooter.Problem(path) is { } footer) return $"cached shard {path}: {footer}; re-ingesting {record.Id}";
        return null;
    }

    /// <summary>Reloads the catalog view from every partition on disk.</summary>
    public void Refresh() => CatalogView = Catalog.Load(Layout);

    /// <summary>The latest record per volume id across all partitions, read from disk now.</summary>
    public IReadOnlyList<VolumeRecord> Volumes()
    {
        Refresh();
        return CatalogView.Volumes;
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
}
