using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Heads;

/// <summary>
/// vox2vec's linear probe: one 1x1x1 convolution per pyramid level, each level's logits upsampled to full resolution and
/// summed. Upsampling is a cascade of trilinear x2 steps from the coarsest level down (coarse logits are added to the
/// next finer level's before each step, so only one upsampling runs at full resolution). Each step is linear with
/// weights summing to one, so the head equals one linear classifier on the concatenation of the level features, each
/// brought to full resolution by the same cascade (weights stacked, biases summed).
/// </summary>
public sealed class LinearProbeHead : SegmentationHead
{
    private readonly ModuleList<Conv3d> convs;

    public LinearProbeHead(IReadOnlyList<int> levelChannels, int classes) : base("LinearProbeHead", classes)
    {
        convs = nn.ModuleList(levelChannels.Select(c => nn.Conv3d(c, classes, 1)).ToArray());
        RegisterComponents();
    }

    public Conv3d Level(int l) => convs[l];

    public override Tensor forward(Tensor[] levels)
    {
        if (levels.Length != convs.Count) throw new ArgumentException($"head has {convs.Count} levels, pyramid has {levels.Length}");
        var top = levels.Length - 1;
        var acc = convs[top].forward(levels[top]);
        for (var l = top - 1; l >= 0; l--)
        {
            using var up = Up(acc, levels[l].shape[2..]);
            acc.Dispose();
            acc = convs[l].forward(levels[l]);
            acc.add_(up, Streaming.Training.Models.Scalars.One); // explicit alpha: see Scalars
        }
        return acc;
    }
}
