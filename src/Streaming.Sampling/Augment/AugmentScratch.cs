using Streaming.Imaging.Volumes;

namespace Streaming.Sampling.Augment;

/// <summary>Per-worker buffers reused across views so that augmenting allocates nothing per batch.</summary>
public sealed class AugmentScratch(Int3 shape)
{
    public Int3 Shape { get; } = shape;
    public float[] Slice { get; } = new float[shape.X * shape.Y];
    private float[] _row = new float[shape.X + 64];

    /// <summary>A padded-row buffer of at least n floats (grows for wide kernels).</summary>
    public float[] Row(int n) => _row.Length >= n ? _row : _row = new float[n];
    /// <summary>A whole-view copy (sharpening's second blur, local shuffling's source).</summary>
    public float[] View { get; } = new float[shape.Volume];
    private float[] _block = new float[4096];

    /// <summary>A buffer of at least n floats for one shuffle block (grows for unusually large block settings).</summary>
    public float[] Block(int n) => _block.Length >= n ? _block : _block = new float[n];
}
