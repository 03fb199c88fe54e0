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
    private float[] _block = new float[4096];

    /// <summary>A buffer of at least n floats for one shuffle block (grows for unusually large block settings).</summary>
    public float[] Block(int n) => _block.Length >= n ? _block : _block = new float[n];
}
