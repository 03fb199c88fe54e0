namespace Streaming.Sampling.Pairs;

/// <summary>
/// A built batch plus what it depended on: for every volume the draws landed on, whether it was excluded at build
/// time (so a stream can check the build against the canonical skip ledger), and the volumes it found corrupt.
/// </summary>
public sealed record PairBuild(PairBatch Batch, IReadOnlyDictionary<string, bool> Consulted, IReadOnlyList<SkippedVolume> Discovered);

/// <summary>
/// A pair source whose batches depend on a skip ledger. Build is a pure function of (seed, step, cache contents,
/// exclusion answers); a stream that builds ahead of the ledger rebuilds a step whose answers turned out stale.
/// </summary>
public interface ILedgeredPairSource : IPairSource
{
    SkipLedger Ledger { get; }
    PairBuild Build(long step, Func<string, bool> isExcluded);
}
