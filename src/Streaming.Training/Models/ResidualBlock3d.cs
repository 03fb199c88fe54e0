using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// Pre-activation residual block (He et al. 2016): x + conv(act(norm(conv(act(norm(x)))))), 3x3x3 convolutions,
/// constant channel count (channel changes happen in the 1x1 convolutions between levels).
/// </summary>
public sealed class ResidualBlock3d : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> norm1, norm2;
    private readonly Conv3d conv1, conv2;

    public ResidualBlock3d(long channels, NormKind norm, string name = "ResidualBlock3d") : base(name)
    {
        norm1 = Norms.Create3d(norm, channels);
        conv1 = nn.Conv3d(channels, channels, 3, padding: 1, bias: false);
        norm2 = Norms.Create3d(norm, channels);
        conv2 = nn.Conv3d(channels, channels, 3, padding: 1, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var a = nn.functional.relu(norm1.forward(x));
        using var h = MixedPrecision.Forward(conv1, a);
        using var b = nn.functional.relu(norm2.forward(h));
        using var r = MixedPrecision.Forward(conv2, b);
        return x.add(r, Scalars.One);
    }
}
