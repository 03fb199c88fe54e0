namespace Streaming.Ingest.Pipeline;

/// <summary>A snapshot for progress displays; counts are cumulative.</summary>
public sealed record IngestProgress(
    int Discovered, int Skipped, int Done, int Failed, int InFlight,
    long SourceBytesRead, TimeSpan Elapsed, string? Current)
{
    public double MBPerSecond => Elapsed.TotalSeconds > 0 ? SourceBytesRead / 1e6 / Elapsed.TotalSeconds : 0;

    /// <summary>Remaining time from the rate so far; null until one volume is done.</summary>
    public TimeSpan? Eta => Done + Failed == 0 || Discovered == 0 ? null
        : TimeSpan.FromSeconds(Elapsed.TotalSeconds / (Done + Failed) * Math.Max(0, Discovered - Skipped - Done - Failed));
}
