namespace Streaming.Sampling.Sources;

/// <summary>
/// A built batch plus what it depended on: for every volume the draws landed on, whether it was excluded at build
/// time (so a stream can check the build against the canonical skip ledger), and the volumes it found corrupt.
/// </summary>
public sealed record BatchBuild<TBatch>(TBatch Batch, IReadOnlyDictionary<string, bool> Consulted, IReadOnlyList<SkippedVolume> Discovered)
    where TBatch : IBatch;

/// <summary>
/// A source whose batches depend on a skip ledger (every source that reads the cache). Build is a pure function of
/// (seed, step, cache contents, exclusion answers); a stream that builds ahead of the ledger rebuilds a step whose
/// answers turned out stale (<see cref="Prefetch.PrefetchStream{TBatch}"/>). <see cref="IBatchSource{TBatch}.Batch"/>
/// is the canonical, in-order build: it asks this source's ledger and records what it finds
/// (<see cref="SourceCore{TScratch}.Canonical"/>).
/// </summary>
public interface ILedgeredSource<TBatch> : IBatchSource<TBatch> where TBatch : IBatch
{
    SkipLedger Ledger { get; }
    BatchBuild<TBatch> Build(long step, Func<string, bool> isExcluded);
}

public static class LedgeredSource
{
    /// <summary>
    /// The canonical build of <paramref name="step"/>: against the source's own ledger, recording what it finds. Calls in
    /// step order give the canonical stream; <see cref="Prefetch.PrefetchStream{TBatch}"/> keeps that order for any
    /// number of workers.
    /// </summary>
    public static TBatch BuildInOrder<TBatch>(this ILedgeredSource<TBatch> source, long step) where TBatch : IBatch
    {
        var ledger = source.Ledger;
        var build = source.Build(step, id => ledger.IsExcludedAt(id, step));
        foreach (var d in build.Discovered) ledger.Record(d);
        return build.Batch;
    }
}
