using Streaming.Ingest.Read;
using Streaming.Ingest.Read.Archives;

namespace Streaming.Ingest.Pipeline;

/// <summary>
/// The work of each pipeline stage, as functions, so the Dataflow graph (<see cref="IngestPipeline{TLoaded,TProcessed}"/>)
/// is a thin shell: tests drive it with fakes, the runner with the real readers, preprocessor and cache.
/// Each function throws to report a failure of that item; the pipeline records it and goes on.
/// </summary>
public sealed record IngestStages<TLoaded, TProcessed>(
    Func<DiscoveryUnit, DiscoveredItem> Resolve,
    Func<SourceItem, string> Fingerprint,
    Func<string, bool> IsDone,
    Func<SourceItem, CancellationToken, TLoaded> Read,
    Func<SourceItem, TLoaded, CancellationToken, TProcessed> Preprocess,
    Action<SourceItem, string, TProcessed> Write,
    Action<IngestFailure> RecordFailure,
    Func<SourceItem, long> SourceBytes)
{
    /// <summary>
    /// Optional check of a cached volume before it is reused (by source fingerprint): why its shard cannot be reused
    /// (then it is re-ingested and the reason noted), or null when it can be or nothing is cached for it.
    /// </summary>
    public Func<string, string?>? Reuse { get; init; }
}
