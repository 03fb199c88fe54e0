namespace Streaming.Sampling.Sources;

/// <summary>A volume that failed a chunk checksum while step <see cref="Step"/> was built.</summary>
public sealed record SkippedVolume(string VolumeId, long Step, string Reason);

/// <summary>
/// The set of volumes skipped because of corrupt chunks, with the step that found each. Rule (deterministic, so it
/// can be checkpointed and replayed): a volume found corrupt while building step d is excluded from every step after
/// d, and from the later slots of step d itself; a slot whose draw lands on an excluded volume redraws with the next
/// attempt key (seed, step, slot, attempt + 1). Thread-safe. The training loop owns the run's ledger and stores its
/// <see cref="Snapshot"/> in every checkpoint, so a resumed run excludes exactly what the original run excluded.
/// </summary>
public sealed class SkipLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SkippedVolume> _entries = new(StringComparer.Ordinal);

    public SkipLedger(IEnumerable<SkippedVolume>? entries = null)
    {
        foreach (var e in entries ?? []) _entries[e.VolumeId] = e;
    }

    /// <summary>Raised once per newly skipped volume (the report of bad data).</summary>
    public event Action<SkippedVolume>? Skipped;

    public bool IsExcludedAt(string volumeId, long step)
    {
        lock (_gate) return _entries.TryGetValue(volumeId, out var e) && e.Step < step;
    }

    /// <summary>Records a discovery; the earliest step wins if the same volume is reported twice.</summary>
    public void Record(SkippedVolume v)
    {
        bool added;
        lock (_gate)
        {
            added = !_entries.TryGetValue(v.VolumeId, out var old);
            if (added || v.Step < old!.Step) _entries[v.VolumeId] = v;
        }
        if (added) Skipped?.Invoke(v);
    }

    public IReadOnlyList<SkippedVolume> Snapshot()
    {
        lock (_gate) return [.. _entries.Values.OrderBy(e => e.Step).ThenBy(e => e.VolumeId, StringComparer.Ordinal)];
    }
}
