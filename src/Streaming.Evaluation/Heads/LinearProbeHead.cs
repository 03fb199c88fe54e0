using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Heads;

/// <summary>
/// vox2vec's linear probe: one 1x1x1 convolution per pyramid level, each level's logits upsampled (trilinear) to full
/// resolution and summed. Because upsampling is linear with weights summing to one, this equals one linear classifier
/// on the concatenation of the upsampled level features (weights stacked, biases summed).
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
        var size = levels[0].shape[2..];
        var sum = convs[0].forward(levels[0]);
        for (var l = 1; l < levels.Length; l++)
        {
            using var logits = convs[l].forward(levels[l]);
            using var up = Up(logits, size);
            sum.add_(up);
        }
        return sum;
    }
}
