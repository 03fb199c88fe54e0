using Streaming.Imaging.Volumes;
using Streaming.Sampling.Augment;

namespace Streaming.Sampling.Slices;

/// <summary>What one sampling thread reuses between slice batches: the slice read buffers, the padded windows and augmentation buffers.</summary>
public sealed class SliceScratch(SliceSamplingOptions o)
{
    /// <summary>The read window: the slice window grown by the shift margin on every side.</summary>
    public PlaneShape Read { get; } = new(o.SliceShape.X + 2 * o.MaxShift, o.SliceShape.Y + 2 * o.MaxShift);
    public float[] Windows { get; } = new float[o.SlicesPerVolume * (o.SliceShape.X + 2 * o.MaxShift) * (o.SliceShape.Y + 2 * o.MaxShift)];
    public int[] Indices { get; } = new int[o.SlicesPerVolume];
    public SliceReadScratch Reads { get; } = new();
    public AugmentScratch Augment { get; } = new(new Int3(o.SliceShape.X, o.SliceShape.Y, 1));
}
