using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// SAL's pixel-level embedding: a per-pixel linear map (1x1 convolution) without bias, then L2 normalisation over
/// channels, so the dot product of two pixels is their cosine similarity. No bias: a constant offset would let every
/// pixel share one direction and satisfy the local alignment loss without learning anything (collapse).
/// Input (N, C, H, W), output (N, D, H, W) with unit-length pixels.
/// </summary>
public sealed class LocalEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d linear;

    public LocalEmbedding(long inChannels, long dim, string name = "LocalEmbedding") : base(name)
    {
        if (inChannels < 1 || dim < 1) throw new ArgumentException("local embedding dims must be >= 1");
        linear = nn.Conv2d(inChannels, dim, 1, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = linear.forward(x);
        return nn.functional.normalize(h, p: 2, dim: 1);
    }
}
