using Streaming.Ingest.Pipeline;

namespace Streaming.Ingest.Read.Archives;

/// <summary>
/// A piece of discovery work keyed by the id of the volume it will produce, so partitioning (--partition i/N) can be
/// decided before any header is read: either a ready item (NIfTI layouts) or a folder that still needs a DICOM
/// header scan (an NLST patient).
/// </summary>
public sealed record DiscoveryUnit(string Key, SourceItem? Item, string? PatientFolder, ArchiveSource Source)
{
    /// <summary>Non-fatal findings made while enumerating (e.g. stray non-DICOM files beside a series).</summary>
    public IReadOnlyList<IngestFailure> Notes { get; init; } = [];
}

/// <summary>Result of resolving a unit: an item to ingest, or a failure to report (and any non-fatal notes).</summary>
public sealed record DiscoveredItem(SourceItem? Item, IngestFailure? Failure, IReadOnlyList<IngestFailure> Notes)
{
    public static DiscoveredItem Of(SourceItem item, IReadOnlyList<IngestFailure>? notes = null) => new(item, null, notes ?? []);
    public static DiscoveredItem Failed(IngestFailure f) => new(null, f, []);
}
