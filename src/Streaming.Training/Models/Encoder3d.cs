using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// Shared encoder of the FPN and UNet backbones: a 3x3x3 stem, then per level (max-pool by 2 and a 1x1 convolution
/// for the channel change above level 0) and residual blocks. Returns every level's output, finest first.
/// </summary>
public sealed class Encoder3d : nn.Module<Tensor, Tensor[]>
{
    private readonly Conv3d stem;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> widen;
    private readonly ModuleList<Sequential> blocks;
    private readonly MaxPool3d pool;

    public Encoder3d(BackboneOptions o, string name = "Encoder3d") : base(name)
    {
        o.Validate();
        var ch = o.LevelChannels();
        stem = nn.Conv3d(o.InChannels, ch[0], 3, padding: 1);
        // widen[l-1] maps level l-1's channels to level l's after pooling.
        widen = nn.ModuleList<nn.Module<Tensor, Tensor>>(
            Enumerable.Range(1, o.Levels - 1).Select(l => (nn.Module<Tensor, Tensor>)nn.Conv3d(ch[l - 1], ch[l], 1)).ToArray());
        blocks = nn.ModuleList(Enumerable.Range(0, o.Levels).Select(l => Blocks(ch[l], o)).ToArray());
        pool = nn.MaxPool3d(2);
        RegisterComponents();
    }

    internal static Sequential Blocks(long channels, BackboneOptions o) =>
        nn.Sequential(Enumerable.Range(0, o.BlocksPerLevel)
            .Select(i => ((string)i.ToString(), (nn.Module<Tensor, Tensor>)new ResidualBlock3d(channels, o.Norm))).ToArray());

    public override Tensor[] forward(Tensor x)
    {
        var outs = new Tensor[blocks.Count];
        for (int l = 0; l < blocks.Count; l++)
        {
            if (l == 0)
            {
                using var s = MixedPrecision.Forward(stem, x);
                outs[0] = blocks[0].forward(s);
            }
            else
            {
                using var p = pool.forward(outs[l - 1]);
                using var w = MixedPrecision.Forward(widen[l - 1], p);
                outs[l] = blocks[l].forward(w);
            }
        }
        return outs;
    }
}
