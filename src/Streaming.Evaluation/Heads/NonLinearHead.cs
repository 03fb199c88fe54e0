using Streaming.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Heads;

/// <summary>
/// vox2vec's non-linear probe: "replicates the UNet's decoder but sets the kernel size of all convolutions to 1". As our
/// UNet decoder (<see cref="UNet3d"/>): per level, coarsest first, the upsampled decoder level is concatenated with
/// the pyramid level, fused by a convolution to that level's width and refined by <c>blocks</c> pre-activation residual
/// blocks (BatchNorm); then a classifier at full resolution. Every kernel is 1x1x1, so it adds no spatial context of
/// its own. For vox2vec's FPN (16..512 channels, 47,530,640 parameters) and 14 classes it has 615,774 parameters, 77x
/// fewer (the paper: "50 times fewer" than its FPN; the tests pin the count).
/// </summary>
public sealed class NonLinearHead : SegmentationHead
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> fuse;
    private readonly ModuleList<Sequential> decoder;
    private readonly Conv3d classifier;
    private readonly int levels;

    public NonLinearHead(IReadOnlyList<int> levelChannels, int classes, int blocks = 2) : base("NonLinearHead", classes)
    {
        if (blocks < 0) throw new ArgumentException("blocks must be >= 0");
        levels = levelChannels.Count;
        // fuse[l] takes cat(level l, upsampled decoder l+1) to level l's width; decoder[l] refines it.
        fuse = nn.ModuleList(Enumerable.Range(0, levels - 1).Select(l =>
            (nn.Module<Tensor, Tensor>)nn.Conv3d(levelChannels[l] + levelChannels[l + 1], levelChannels[l], 1)).ToArray());
        decoder = nn.ModuleList(Enumerable.Range(0, levels - 1).Select(l => nn.Sequential(Enumerable.Range(0, blocks)
            .Select(i => ((string)i.ToString(), (nn.Module<Tensor, Tensor>)new ResidualBlock3d(levelChannels[l], NormKind.Batch, kernel: 1))).ToArray())).ToArray());
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
            x = decoder[l].forward(fuse[l].forward(cat([pyramid[l], up], 1)));
        }
        return classifier.forward(x).MoveToOuterDisposeScope();
    }
}
