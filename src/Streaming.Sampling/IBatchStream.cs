namespace Streaming.Sampling;

/// <summary>Per-take telemetry of a batch stream.</summary>
public readonly record struct BatchTelemetry(long Step, TimeSpan ConsumerWait, int QueueDepth, double BatchesPerSecond, double DecodedMBPerSecond);

/// <summary>
/// Ordered batches for a training loop, starting at a given step, produced ahead of time by workers into a bounded
/// queue. Take() blocks (counted as consumer wait) when the workers are behind; it never hangs silently: a worker
/// failure is rethrown from Take().
/// </summary>
public interface IBatchStream<out TBatch> : IDisposable where TBatch : IBatch
{
    /// <summary>The next batch in step order; its Step is the previous one + 1 (the first is the start step).</summary>
    TBatch Take(CancellationToken ct = default);
    BatchTelemetry LastTelemetry { get; }
}
