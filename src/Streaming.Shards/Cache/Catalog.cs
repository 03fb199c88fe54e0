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
    private readonly Dictionary<string, VolumeRecord> _byFingerprint;

    private Catalog(Dictionary<string, VolumeRecord> byId, IReadOnlyList<CatalogProblem> problems)
    {
        _byId = byId;
        _byFingerprint = byId.Values.ToDictionary(r => r.SourceFingerprint, StringComparer.Ordinal);
        Problems = problems;
    }

    /// <summary>
    /// Complete lines that could not be read (garbage, a record from a newer format): each names file:line and why.
    /// They are left out of the view (their volumes count as absent, so ingest redoes them).
    /// </summary>
    public IReadOnlyList<CatalogProblem> Problems { get; }

    /// <summary>Latest record per id, ordered by id.</summary>
    public IReadOnlyList<VolumeRecord> Volumes => _byId.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();

    public int Count => _byId.Count;

    public VolumeRecord? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>True when the latest record of some volume has this source fingerprint.</summary>
    public bool ContainsFingerprint(string fingerprint) => _byFingerprint.ContainsKey(fingerprint);

    /// <summary>The latest record of the volume whose source has this fingerprint, if any.</summary>
    public VolumeRecord? FindByFingerprint(string fingerprint) => _byFingerprint.GetValueOrDefault(fingerprint);

    /// <summary>Adds a record under the latest-wins rule (used by the owning store after a commit).</summary>
    internal void Upsert(VolumeRecord r)
    {
        if (_byId.TryGetValue(r.Id, out var old))
        {
            if (r.CreatedUtc < old.CreatedUtc) return;
            _byFingerprint.Remove(old.SourceFingerprint); // fingerprints hash the id, so no other volume shares it
        }
        _byId[r.Id] = r;
        _byFingerprint[r.SourceFingerprint] = r;
    }

    public static Catalog Load(CacheLayout layout)
    {
        var problems = new List<CatalogProblem>();
        var records = new List<VolumeRecord>();
        foreach (var file in CatalogFiles(layout))
            foreach (var (line, number) in JsonLines.Read(file))
            {
                try { records.Add(VolumeRecordJson.Deserialize(line, $"{file}:{number}")); }
                catch (InvalidDataException e) { problems.Add(new CatalogProblem(file, number, e.Message, line)); }
            }
        return FromRecords(records, problems);
    }

    public static Catalog FromRecords(IEnumerable<VolumeRecord> records, IReadOnlyList<CatalogProblem>? problems = null)
    {
        var byId = new Dictionary<string, VolumeRecord>(StringComparer.Ordinal);
        foreach (var r in records)
            if (!byId.TryGetValue(r.Id, out var old) || r.CreatedUtc >= old.CreatedUtc) byId[r.Id] = r;
        return new Catalog(byId, problems ?? []);
    }

    /// <summary>Every readable record line of every catalog file, merged.jsonl first, then partitions in name order.</summary>
    public static IEnumerable<VolumeRecord> ReadAll(CacheLayout layout)
    {
        foreach (var file in CatalogFiles(layout))
            foreach (var r in ReadFile(file))
                yield return r;
    }

    /// <summary>The records of one catalog file; a line that cannot be read is an <see cref="InvalidDataException"/> naming file:line.</summary>
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

/// <summary>A complete catalog line that could not be read: where, why, and its text (gc keeps any shard it names).</summary>
public sealed record CatalogProblem(string File, int Line, string Reason, string Text)
{
    public override string ToString() => $"{File}:{Line}: unreadable catalog line, ignored ({Reason})";
}
