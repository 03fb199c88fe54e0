using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// A backbone that maps a patch (N, C, D, H, W) to a pyramid of feature maps, finest first; level l has stride 2^l.
/// A voxel's representation is the concatenation of every level's features at that voxel.
/// </summary>
public abstract class DenseBackbone : nn.Module<Tensor, Tensor[]>
{
    protected DenseBackbone(string name) : base(name) { }

    /// <summary>Channels of each returned level (finest first).</summary>
    public abstract int[] OutputChannels { get; }

    public int RepresentationDim => OutputChannels.Sum();

    /// <summary>Smallest patch extent divisor that keeps every level aligned (2^(levels-1)).</summary>
    public int MaxStride => 1 << (OutputChannels.Length - 1);

    /// <summary>Stride of each level (finest first): 2^l for pyramids; a descriptor grid states its own.</summary>
    public virtual int[] LevelStrides => Enumerable.Range(0, OutputChannels.Length).Select(l => 1 << l).ToArray();

    /// <summary>
    /// True for extractors that must see the whole (unpadded) volume at once because their geometry is normalised to
    /// it (the context descriptors): evaluation and embed then call forward once on the volume instead of windows.
    /// </summary>
    public virtual bool WholeVolume => false;
}
