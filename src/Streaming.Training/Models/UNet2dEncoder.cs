using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// The U-Net's contracting path: a double convolution per level, max-pooling by 2 between levels. Returns every
/// level's output, finest first (level l at stride 2^l). This is the part SAL and PCL pre-train.
/// </summary>
public sealed class UNet2dEncoder : nn.Module<Tensor, Tensor[]>
{
    private readonly ModuleList<ConvBlock2d> levels;
    private readonly MaxPool2d pool;

    public UNet2dEncoder(UNet2dOptions o, string name = "UNet2dEncoder") : base(name)
    {
        o.Validate();
        var w = o.Widths;
        levels = nn.ModuleList(Enumerable.Range(0, w.Length)
            .Select(l => new ConvBlock2d(l == 0 ? o.InChannels : w[l - 1], w[l], o.Norm)).ToArray());
        pool = nn.MaxPool2d(2);
        RegisterComponents();
    }

    public override Tensor[] forward(Tensor x)
    {
        var outs = new Tensor[levels.Count];
        outs[0] = levels[0].forward(x);
        for (int l = 1; l < levels.Count; l++)
        {
            using var p = pool.forward(outs[l - 1]);
            outs[l] = levels[l].forward(p);
        }
        return outs;
    }
}
