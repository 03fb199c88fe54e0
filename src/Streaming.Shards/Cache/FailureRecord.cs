namespace Streaming.Shards.Cache;

/// <summary>One volume that could not be cached: the source file, the pipeline stage, why, and when.</summary>
public sealed record FailureRecord(string File, string Stage, string Reason, DateTimeOffset Time, string? Id = null);
