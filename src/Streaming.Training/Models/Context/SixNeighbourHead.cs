using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// The "6 Neighbor CNN" of DOERSCH (Table 1): the concatenated anchor and partner D3D descriptors (384) through 1x1x1
/// convolutions 384-64-64-32 (GroupNorm, LeakyReLU) and a final 32-6 convolution with bias: logits of which face
/// neighbour the partner is. 31,238 parameters. Input (N, 384), output (N, 6).
/// </summary>
public sealed class SixNeighbourHead : nn.Module<Tensor, Tensor>
{
    public const int Classes = 6;

    private readonly Sequential layers;

    public SixNeighbourHead(string name = "SixNeighbourHead") : base(name)
    {
        layers = nn.Sequential(
            ("0", ConvNormAct.Conv3d(2 * D3dCnn.OutputDim, 64, 1)),
            ("1", ConvNormAct.Conv3d(64, 64, 1)),
            ("2", ConvNormAct.Conv3d(64, 32, 1)),
            ("3", nn.Conv3d(32, Classes, 1)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor pair)
    {
        using var x = pair.reshape(pair.shape[0], pair.shape[1], 1, 1, 1);
        using var y = layers.forward(x);
        return y.flatten(1);
    }
}
