namespace Streaming.Sampling;

/// <summary>
/// Makes the batch of a step. <c>Batch(step)</c> is a pure function of (seed, step, cache contents) and, for cache
/// sources, of the skip ledger (see <see cref="Sources.ILedgeredSource{TBatch}"/>): any worker can build any step, and a
/// resumed run continues exactly. Kinds: vox2vec patch pairs (<see cref="Pairs.PairBatch"/>); slice, planar-patch and
/// labeled-patch batches plug in the same way (see docs/architecture.md, "A new batch kind and method", and SAMPLING.md).
/// </summary>
public interface IBatchSource<out TBatch> where TBatch : IBatch
{
    TBatch Batch(long step);
}
