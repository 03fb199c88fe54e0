using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// The U-Net's double convolution: (3x3 convolution without bias, normalisation, ReLU) twice. The bias is left out
/// because the normalisation right after it would cancel it.
/// </summary>
public sealed class ConvBlock2d : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly nn.Module<Tensor, Tensor> norm1, norm2;

    public ConvBlock2d(long inChannels, long outChannels, NormKind norm, string name = "ConvBlock2d") : base(name)
    {
        conv1 = nn.Conv2d(inChannels, outChannels, 3, padding: 1, bias: false);
        norm1 = Norms.Create2d(norm, outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        norm2 = Norms.Create2d(norm, outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h1 = conv1.forward(x);
        using var n1 = norm1.forward(h1);
        using var a1 = nn.functional.relu(n1);
        using var h2 = conv2.forward(a1);
        using var n2 = norm2.forward(h2);
        return nn.functional.relu(n2);
    }
}
