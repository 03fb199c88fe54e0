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
    Func<SourceItem, long> SourceBytes);
