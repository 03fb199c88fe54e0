using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Augment;

namespace Streaming.Sampling.Pairs;

/// <summary>Everything one sampling thread reuses between batches: readers, masks, index lists, filter buffers.</summary>
public sealed class WorkerScratch(Int3 patch, Func<ShardVolumeInfo, IShardVolume> open, int readerCapacity) : IDisposable
{
    public ReaderCache Readers { get; } = new(open, readerCapacity);
    public byte[] BodyA { get; } = new byte[patch.Volume];
    public byte[] BodyB { get; } = new byte[patch.Volume];
    public int[] Candidates { get; } = new int[patch.Volume];
    public float[] RegionImage { get; } = new float[patch.Volume];
    public byte[] RegionBody { get; } = new byte[patch.Volume];
    public AugmentScratch Augment { get; } = new(patch);

    public void Dispose() => Readers.Dispose();
}
