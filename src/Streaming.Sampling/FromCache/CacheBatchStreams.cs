using Streaming.Sampling.Pairs;
using Streaming.Sampling.Prefetch;

namespace Streaming.Sampling.FromCache;

/// <summary>Shard cache → vox2vec pair source → bounded prefetch: the production batch stream of pre-training.</summary>
public static class CacheBatchStreams
{
    public static IBatchStream Open(CacheVolumeSet set, SamplingOptions sampling, PrefetchOptions prefetch, long startStep, SkipLedger? ledger = null)
    {
        sampling.Validate();
        prefetch.Validate();
        var source = new Vox2VecPairSource(set.Volumes, set.Open, sampling, ledger);
        try { return new OwningStream(PrefetchStream.Start(source, startStep, prefetch), source); }
        catch { source.Dispose(); throw; }
    }

    /// <summary>Disposes the pair source (its per-worker readers) after the prefetch workers have stopped.</summary>
    private sealed class OwningStream(IBatchStream inner, IDisposable source) : IBatchStream
    {
        public PairBatch Take(CancellationToken ct = default) => inner.Take(ct);
        public BatchTelemetry LastTelemetry => inner.LastTelemetry;
        public void Dispose() { inner.Dispose(); source.Dispose(); }
    }
}
