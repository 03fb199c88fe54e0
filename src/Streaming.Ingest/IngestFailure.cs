namespace Streaming.Ingest;

/// <summary>One input that could not be ingested: which file, at which stage, and why. Never stops the run.</summary>
public sealed record IngestFailure(string Path, string Stage, string Reason, string? VolumeId = null)
{
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;
    public override string ToString() => $"{Path}: [{Stage}] {Reason}";
}

/// <summary>Stage names used in failure reports.</summary>
public static class IngestStage
{
    public const string Discover = "discover";
    public const string Read = "read";
    public const string Preprocess = "preprocess";
    public const string Write = "write";
}
