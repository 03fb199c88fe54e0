namespace Streaming.Ingest.Pipeline;

/// <summary>What a run did. ExitCode: 0 all good, 2 some inputs failed (the rest was ingested), 3 interrupted, 1 the run failed.</summary>
public sealed record IngestSummary(
    int Discovered, int Skipped, int Done, int Failed, int OtherPartitions,
    long SourceBytesRead, TimeSpan Elapsed,
    IReadOnlyDictionary<string, double> StageSeconds,
    IReadOnlyList<IngestFailure> Failures,
    IReadOnlyList<IngestFailure> Notes)
{
    /// <summary>Why the run stopped early at the user's request ("SIGTERM", "SIGINT", "cancelled"); null when it ran to the end.</summary>
    public string? Interrupted { get; init; }
    /// <summary>True when in-flight volumes were abandoned (a second signal) rather than finished.</summary>
    public bool Abandoned { get; init; }
    /// <summary>Why the run had to stop (e.g. the disk is full); null otherwise.</summary>
    public string? Fatal { get; init; }

    /// <summary>1 the run could not go on (<see cref="Fatal"/>), 3 interrupted, 2 some inputs failed, 0 all good.</summary>
    public int ExitCode => Fatal is not null ? 1 : Interrupted is not null ? 3 : Failed > 0 ? 2 : 0;
}
