using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Heads;

/// <summary>
/// vox2vec's non-linear probe: a decoder shaped like the UNet decoder (coarsest level upsampled, concatenated with the
/// next finer level, fused and refined) but with every kernel 1x1x1, so it adds no spatial context of its own; then a
/// 1x1x1 classifier at full resolution.
/// </summary>
public sealed class NonLinearHead : SegmentationHead
{
    private readonly ModuleList<Sequential> fuse;
    private readonly Conv3d classifier;
    private readonly int levels;

    public NonLinearHead(IReadOnlyList<int> levelChannels, int classes) : base("NonLinearHead", classes)
    {
        levels = levelChannels.Count;
        // fuse[l] takes cat(level l, upsampled decoder l+1) to level l's width.
        fuse = nn.ModuleList(Enumerable.Range(0, levels - 1).Select(l => nn.Sequential(
            ("conv1", (nn.Module<Tensor, Tensor>)nn.Conv3d(levelChannels[l] + levelChannels[l + 1], levelChannels[l], 1)),
            ("act1", nn.ReLU()),
            ("conv2", nn.Conv3d(levelChannels[l], levelChannels[l], 1)),
            ("act2", nn.ReLU()))).ToArray());
        classifier = nn.Conv3d(levelChannels[0], classes, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor[] pyramid)
    {
        if (pyramid.Length != levels) throw new ArgumentException($"head has {levels} levels, pyramid has {pyramid.Length}");
        using var scope = NewDisposeScope();
        var x = pyramid[levels - 1];
        for (var l = levels - 2; l >= 0; l--)
        {
            var up = Up(x, pyramid[l].shape[2..]);
            x = fuse[l].forward(cat([pyramid[l], up], 1));
        }
        return classifier.forward(x).MoveToOuterDisposeScope();
    }
}
