using Streaming.Ingest.Volumes;

namespace Streaming.Sampling.Augment;

/// <summary>Per-worker buffers reused across views so that augmenting allocates nothing per batch.</summary>
public sealed class AugmentScratch(Int3 shape)
{
    public Int3 Shape { get; } = shape;
    public float[] Slice { get; } = new float[shape.X * shape.Y];
    public float[] Row { get; } = new float[Math.Max(shape.X, shape.Y) + 64];
    /// <summary>A whole-view copy (sharpening's second blur, local shuffling's source).</summary>
    public float[] View { get; } = new float[shape.Volume];
    public float[] Block { get; } = new float[4096];
}
