using Streaming.Imaging.Volumes;
using Streaming.Sampling.Augment;

namespace Streaming.Sampling.Pairs;

/// <summary>What one sampling thread reuses between pair batches: masks, index lists, region and filter buffers.</summary>
public sealed class PairScratch(Int3 patch)
{
    public byte[] BodyA { get; } = new byte[patch.Volume];
    public byte[] BodyB { get; } = new byte[patch.Volume];
    public int[] Candidates { get; } = new int[patch.Volume];
    public float[] RegionImage { get; } = new float[patch.Volume];
    public byte[] RegionBody { get; } = new byte[patch.Volume];
    public AugmentScratch Augment { get; } = new(patch);
}
