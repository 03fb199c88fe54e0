using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// SAL's (and PCL's) slice-level head: global average pool of the deepest encoder map, a linear projection, then L2
/// normalisation for the cosine similarities of the global positional loss. Input (N, C, H, W), output (N, D).
/// </summary>
public sealed class GlobalProjection : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear;

    public GlobalProjection(long inChannels, long dim, string name = "GlobalProjection") : base(name)
    {
        if (inChannels < 1 || dim < 1) throw new ArgumentException("global projection dims must be >= 1");
        linear = nn.Linear(inChannels, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var pooled = x.mean([2, 3]);
        using var h = linear.forward(pooled);
        return nn.functional.normalize(h, p: 2, dim: 1);
    }
}
