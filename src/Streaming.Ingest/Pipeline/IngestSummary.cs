namespace Streaming.Ingest.Pipeline;

/// <summary>What a run did. ExitCode: 0 all good, 2 some inputs failed (the rest was ingested), 1 the run failed.</summary>
public sealed record IngestSummary(
    int Discovered, int Skipped, int Done, int Failed, int OtherPartitions,
    long SourceBytesRead, TimeSpan Elapsed,
    IReadOnlyDictionary<string, double> StageSeconds,
    IReadOnlyList<IngestFailure> Failures,
    IReadOnlyList<IngestFailure> Notes)
{
    public int ExitCode => Failed > 0 ? 2 : 0;
}
