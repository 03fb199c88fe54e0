using Streaming.Ingest.Pipeline;

namespace Streaming.Ingest.Read.Archives;

/// <summary>
/// A piece of discovery work keyed by the id of the volume it will produce, so partitioning (--partition i/N) can be
/// decided before any header is read: either a ready item (NIfTI layouts) or a folder that still needs a DICOM
/// header scan (an NLST patient), or only findings of the archive walk (Item and PatientFolder null).
/// </summary>
public sealed record DiscoveryUnit(string Key, SourceItem? Item, string? PatientFolder, ArchiveSource Source)
{
    /// <summary>Non-fatal findings made while enumerating (e.g. stray non-DICOM files beside a series).</summary>
    public IReadOnlyList<IngestFailure> Notes { get; init; } = [];
    /// <summary>Things that could not be read while enumerating (e.g. a folder without permission); they count as failures.</summary>
    public IReadOnlyList<IngestFailure> Failures { get; init; } = [];
    /// <summary>The walker of the unit's archive (NLST patients are walked when resolved; each folder once per archive).</summary>
    public ArchiveWalker? Walker { get; init; }
}

/// <summary>Result of resolving a unit: an item to ingest, or a failure to report (and any non-fatal notes).</summary>
public sealed record DiscoveredItem(SourceItem? Item, IngestFailure? Failure, IReadOnlyList<IngestFailure> Notes)
{
    /// <summary>Further failures found on the way (unreadable folders below a patient), besides <see cref="Failure"/>.</summary>
    public IReadOnlyList<IngestFailure> MoreFailures { get; init; } = [];

    public static DiscoveredItem Of(SourceItem item, IReadOnlyList<IngestFailure>? notes = null) => new(item, null, notes ?? []);
    public static DiscoveredItem Failed(IngestFailure f) => new(null, f, []);
}

/// <summary>Turns walk problems into the pipeline's failures and notes.</summary>
internal static class WalkFindings
{
    public static (List<IngestFailure> Failures, List<IngestFailure> Notes) Split(IEnumerable<WalkProblem> problems, string? volumeId = null)
    {
        var failures = new List<IngestFailure>(); var notes = new List<IngestFailure>();
        foreach (var p in problems)
            (p.Failure ? failures : notes).Add(new IngestFailure(p.Path, IngestStage.Discover, p.Reason, volumeId));
        return (failures, notes);
    }

    /// <summary>A unit that carries only findings; keyed by path so exactly one partition reports them.</summary>
    public static DiscoveryUnit? Unit(List<WalkProblem> problems, ArchiveSource source)
    {
        if (problems.Count == 0) return null;
        var (failures, notes) = Split(problems);
        problems.Clear();
        return new DiscoveryUnit("walk:" + (failures.FirstOrDefault() ?? notes[0]).Path, null, null, source) { Failures = failures, Notes = notes };
    }
}
