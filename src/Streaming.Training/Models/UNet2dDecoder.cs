using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// The U-Net's expanding path: per level from the coarsest, a 2x2 transposed convolution (stride 2) halves the
/// channels and doubles the size, the skip connection is concatenated, and a double convolution fuses them.
/// Returns the full-resolution map (N, Widths[0], H, W).
/// </summary>
public sealed class UNet2dDecoder : nn.Module<Tensor[], Tensor>
{
    private readonly ModuleList<ConvTranspose2d> up;
    private readonly ModuleList<ConvBlock2d> fuse;

    public UNet2dDecoder(UNet2dOptions o, string name = "UNet2dDecoder") : base(name)
    {
        o.Validate();
        var w = o.Widths;
        // up[l] and fuse[l] produce level l (0 .. levels-2) from level l + 1.
        up = nn.ModuleList(Enumerable.Range(0, w.Length - 1).Select(l => nn.ConvTranspose2d(w[l + 1], w[l], 2, stride: 2)).ToArray());
        fuse = nn.ModuleList(Enumerable.Range(0, w.Length - 1).Select(l => new ConvBlock2d(2L * w[l], w[l], o.Norm)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor[] levels)
    {
        if (levels.Length != fuse.Count + 1)
            throw new ArgumentException($"decoder expects {fuse.Count + 1} encoder levels, got {levels.Length}");
        Tensor d = levels[^1];
        bool owned = false;
        for (int l = fuse.Count - 1; l >= 0; l--)
        {
            using var u = up[l].forward(d);
            if (owned) d.Dispose();
            using var cat = torch.cat([levels[l], u], 1);
            d = fuse[l].forward(cat);
            owned = true;
        }
        return d;
    }
}
