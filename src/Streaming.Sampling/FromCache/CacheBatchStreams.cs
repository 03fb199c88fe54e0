using Streaming.Sampling.Pairs;
using Streaming.Sampling.Prefetch;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.FromCache;

/// <summary>Shard cache → a batch kind's source → bounded prefetch: the production batch stream of pre-training.</summary>
public static class CacheBatchStreams
{
    /// <summary>
    /// Streams <paramref name="source"/> (built on <paramref name="set"/>'s volumes and opener, with the run's ledger)
    /// from <paramref name="startStep"/>; the stream owns the source and disposes it after the workers stop.
    /// </summary>
    public static IBatchStream<TBatch> Open<TBatch>(ILedgeredSource<TBatch> source, PrefetchOptions prefetch, long startStep)
        where TBatch : IBatch
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            prefetch.Validate();
            return new OwningStream<TBatch>(PrefetchStream.Start(source, startStep, prefetch), source as IDisposable);
        }
        catch { (source as IDisposable)?.Dispose(); throw; }
    }

    /// <summary>vox2vec pairs from the cache.</summary>
    public static IBatchStream<PairBatch> Pairs(CacheVolumeSet set, SamplingOptions sampling, PrefetchOptions prefetch, long startStep, SkipLedger? ledger = null) =>
        Open(new Vox2VecPairSource(set.Volumes, set.Open, sampling, ledger), prefetch, startStep);

    /// <summary>Disposes the source (its per-worker readers) after the prefetch workers have stopped.</summary>
    private sealed class OwningStream<TBatch>(IBatchStream<TBatch> inner, IDisposable? source) : IBatchStream<TBatch> where TBatch : IBatch
    {
        public TBatch Take(CancellationToken ct = default) => inner.Take(ct);
        public BatchTelemetry LastTelemetry => inner.LastTelemetry;
        public void Dispose() { inner.Dispose(); source?.Dispose(); }
    }
}
