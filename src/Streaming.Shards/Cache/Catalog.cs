using Streaming.Shards.Format;

namespace Streaming.Shards.Cache;

/// <summary>
/// The catalog view of a cache: the union of every <c>catalog/*.jsonl</c> (partitions and merged.jsonl), keeping
/// the latest record per volume id (by CreatedUtc; on a tie the one read last, partitions after merged.jsonl).
/// Because merged.jsonl only ever holds records that came from partitions, reading it alongside them never hides
/// newer work: it is a consolidated snapshot, not a replacement.
/// </summary>
public sealed class Catalog
{
    private readonly Dictionary<string, VolumeRecord> _byId;
    private readonly HashSet<string> _fingerprints;

    private Catalog(Dictionary<string, VolumeRecord> byId)
    {
        _byId = byId;
        _fingerprints = byId.Values.Select(r => r.SourceFingerprint).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Latest record per id, ordered by id.</summary>
    public IReadOnlyList<VolumeRecord> Volumes => _byId.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();

    public int Count => _byId.Count;

    public VolumeRecord? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>True when the latest record of some volume has this source fingerprint.</summary>
    public bool ContainsFingerprint(string fingerprint) => _fingerprints.Contains(fingerprint);

    /// <summary>Adds a record under the latest-wins rule (used by the owning store after a commit).</summary>
    internal void Upsert(VolumeRecord r)
    {
        if (_byId.TryGetValue(r.Id, out var old))
        {
            if (r.CreatedUtc < old.CreatedUtc) return;
            _fingerprints.Remove(old.SourceFingerprint); // fingerprints hash the id, so no other volume shares it
        }
        _byId[r.Id] = r;
        _fingerprints.Add(r.SourceFingerprint);
    }

    public static Catalog Load(CacheLayout layout) => FromRecords(ReadAll(layout));

    public static Catalog FromRecords(IEnumerable<VolumeRecord> records)
    {
        var byId = new Dictionary<string, VolumeRecord>(StringComparer.Ordinal);
        foreach (var r in records)
            if (!byId.TryGetValue(r.Id, out var old) || r.CreatedUtc >= old.CreatedUtc) byId[r.Id] = r;
        return new Catalog(byId);
    }

    /// <summary>Every record line of every catalog file, merged.jsonl first, then partitions in name order.</summary>
    public static IEnumerable<VolumeRecord> ReadAll(CacheLayout layout)
    {
        foreach (var file in CatalogFiles(layout))
            foreach (var r in ReadFile(file))
                yield return r;
    }

    public static IEnumerable<VolumeRecord> ReadFile(string file)
    {
        foreach (var (line, number) in JsonLines.Read(file))
            yield return VolumeRecordJson.Deserialize(line, $"{file}:{number}");
    }

    internal static IEnumerable<string> CatalogFiles(CacheLayout layout)
    {
        if (!Directory.Exists(layout.CatalogDir)) return [];
        return Directory.GetFiles(layout.CatalogDir, "*" + CacheLayout.LinesExtension)
            .OrderBy(f => Path.GetFileName(f) == CacheLayout.MergedName + CacheLayout.LinesExtension ? 0 : 1)
            .ThenBy(f => f, StringComparer.Ordinal);
    }
}
