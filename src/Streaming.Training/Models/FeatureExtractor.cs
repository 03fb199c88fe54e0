using Streaming.Imaging.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// One output level of a <see cref="FeatureExtractor"/>: its channels and its stride per axis (x, y, z), i.e. level
/// voxel (i, j, k) describes input voxel (i·Stride.X, j·Stride.Y, k·Stride.Z). 3-D pyramids have strides 2^l on every
/// axis; a 2-D network run slice by slice has (2^l, 2^l, 1); a descriptor network on a stride-4 grid has (4, 4, 4).
/// </summary>
public readonly record struct FeatureLevel(int Channels, Int3 Stride)
{
    /// <summary>Levels of a 3-D pyramid, finest first: level l has channels[l] and stride 2^l on every axis.</summary>
    public static FeatureLevel[] Pyramid(IEnumerable<int> channels) =>
        channels.Select((c, l) => new FeatureLevel(c, new Int3(1 << l, 1 << l, 1 << l))).ToArray();
}

/// <summary>
/// What every method exports and what evaluation, <c>embed</c> and the Python side consume: a module that maps an input
/// (N, InChannels, D, H, W) whose extents are multiples of <see cref="Alignment"/> to one feature map per level,
/// (N, C_l, D / s_z, H / s_y, W / s_x), finest first. A voxel's representation is every level's features at that voxel
/// (nearest up-sampled) concatenated: <see cref="RepresentationDim"/> values. Subclasses state their levels up front
/// and call <see cref="CheckInput"/> first in forward. The exported weights are this module's state_dict, so field
/// names are the checkpoint keys: renaming one breaks every exported model.
/// </summary>
public abstract class FeatureExtractor : nn.Module<Tensor, Tensor[]>
{
    private readonly FeatureLevel[] levels;

    protected FeatureExtractor(string name, int inChannels, IReadOnlyList<FeatureLevel> levels) : base(name)
    {
        if (inChannels < 1) throw new ArgumentException("a feature extractor needs >= 1 input channel");
        if (levels.Count == 0 || levels.Any(l => l.Channels < 1 || !l.Stride.AllPositive))
            throw new ArgumentException("a feature extractor needs >= 1 level, each with channels >= 1 and positive strides");
        InChannels = inChannels;
        this.levels = [.. levels];
        Alignment = new Int3(levels.Max(l => l.Stride.X), levels.Max(l => l.Stride.Y), levels.Max(l => l.Stride.Z));
    }

    public int InChannels { get; }

    /// <summary>Output levels, finest first.</summary>
    public IReadOnlyList<FeatureLevel> Levels => levels;

    /// <summary>Channels of each level, finest first.</summary>
    public int[] OutputChannels => levels.Select(l => l.Channels).ToArray();

    public int RepresentationDim => levels.Sum(l => l.Channels);

    /// <summary>Input extents (x, y, z) must be multiples of this (the largest stride per axis).</summary>
    public Int3 Alignment { get; }

    /// <summary>Rejects an input that is not (N, InChannels, D, H, W) with extents multiples of <see cref="Alignment"/>.</summary>
    protected void CheckInput(Tensor x)
    {
        if (x.dim() != 5 || x.shape[1] != InChannels)
            throw new ArgumentException($"{GetName()}: input must be (N, {InChannels}, D, H, W), got [{string.Join(", ", x.shape)}]");
        if (x.shape[2] % Alignment.Z != 0 || x.shape[3] % Alignment.Y != 0 || x.shape[4] % Alignment.X != 0)
            throw new ArgumentException($"{GetName()}: input extents (x, y, z) = ({x.shape[4]}, {x.shape[3]}, {x.shape[2]}) must be multiples of {Alignment}");
    }
}
