using Streaming.Imaging.Volumes;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Features;

/// <summary>
/// What training a head on a frozen backbone needs from a volume's features: aligned crops of every level. A
/// <see cref="FeaturePyramid"/> (in memory) or a <see cref="StoredPyramid"/> (on disk) provides them.
/// </summary>
public interface IPyramidCrops
{
    Int3 Shape { get; }
    Int3 PaddedShape { get; }
    Int3 Alignment { get; }
    int LevelCount { get; }

    /// <summary>Every level for the full-resolution box [origin, origin + size), aligned to <see cref="Alignment"/>.</summary>
    Tensor[] Crop(Int3 origin, Int3 size);
}
