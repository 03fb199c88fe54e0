namespace Streaming.Sampling;

/// <summary>
/// A kind of pair (vox2vec patch pairs now; SAL slice pairs and 2.5D planar patch pairs later).
/// Batch(step) is a pure function of (seed, step, cache contents), so any worker can make any step and a resumed
/// run continues exactly.
/// </summary>
public interface IPairSource
{
    PairBatch Batch(long step);
}
