using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// The "2 Param CNN" of REG2D (Table 1): the concatenated anchor and partner descriptors (128) through 1x1
/// convolutions 128-128-64-32 (GroupNorm, LeakyReLU) and a final 32-2 convolution with bias: the in-plane offset
/// (d1, d2). 27,138 parameters. Input (N, 128), output (N, 2).
/// </summary>
public sealed class Reg2dHead : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public Reg2dHead(string name = "Reg2dHead") : base(name)
    {
        layers = nn.Sequential(
            ("0", ConvNormAct.Conv2d(2 * D2dCnn.OutputDim, 128, 1)),
            ("1", ConvNormAct.Conv2d(128, 64, 1)),
            ("2", ConvNormAct.Conv2d(64, 32, 1)),
            ("3", nn.Conv2d(32, 2, 1)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor pair)
    {
        using var x = pair.reshape(pair.shape[0], pair.shape[1], 1, 1);
        using var y = layers.forward(x);
        return y.flatten(1);
    }
}
