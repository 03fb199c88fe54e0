using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// Reconstructs the un-augmented patch from the finest decoder level: 3x3x3 convolution + ReLU, then a 1x1
/// convolution to the image channels. Output has the input patch's shape.
/// </summary>
public sealed class ReconstructionHead : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d conv1, conv2;

    public ReconstructionHead(int inChannels, int outChannels = 1, string name = "ReconstructionHead") : base(name)
    {
        conv1 = nn.Conv3d(inChannels, inChannels, 3, padding: 1);
        conv2 = nn.Conv3d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = conv1.forward(x);
        using var a = nn.functional.relu(h);
        return conv2.forward(a);
    }
}
