using System.Diagnostics;
using Streaming.Sampling;

namespace Streaming.Training.Data;

/// <summary>
/// An <see cref="IBatchStream{TBatch}"/> that makes each batch on demand on the calling thread (no prefetch): for
/// tests, benchmarks and as a fallback. The production stream is the prefetch queue from Streaming.Sampling.
/// </summary>
public sealed class SourceBatchStream<TBatch>(IBatchSource<TBatch> source, long startStep) : IBatchStream<TBatch> where TBatch : IBatch
{
    private long next = startStep;
    private bool disposed;

    public BatchTelemetry LastTelemetry { get; private set; }

    public TBatch Take(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ct.ThrowIfCancellationRequested();
        var sw = Stopwatch.StartNew();
        var b = source.Batch(next++);
        var t = sw.Elapsed;
        LastTelemetry = new BatchTelemetry(b.Step, t, 0, 1 / Math.Max(t.TotalSeconds, 1e-9), b.BytesDecoded / 1e6 / Math.Max(t.TotalSeconds, 1e-9));
        return b;
    }

    public void Dispose() => disposed = true;
}
