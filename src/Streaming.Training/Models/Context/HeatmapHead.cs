using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// The "Heatmap CNN" of HEATMAP (Table 1): the concatenated descriptors (128) through 1x1 convolutions 128-64-32-16,
/// then an expanding decoder: transposed 5x5 16-16 (1 → 5), valid 3x3 16-16 (→ 3), bilinear resize to 11x11,
/// transposed 5x5 16-16 (→ 15), valid 3x3 16-8 (→ 13), transposed 5x5 8-4 (→ 17), bilinear resize to 19x19 and a
/// 1x1 4-1 convolution with bias; every layer but the last with GroupNorm and LeakyReLU. The two 16-16 transposed
/// convolutions carry a bias: with them the count is the paper's 28,189 (without, 28,157). Input (N, 128), output
/// (N, 19, 19): row i, column j is the heat at offset (i/9 - 1, j/9 - 1) (see <see cref="Losses.OffsetHeatmap"/>).
/// </summary>
public sealed class HeatmapHead : nn.Module<Tensor, Tensor>
{
    public const int Size = 19;

    private readonly Sequential reduce, up1;
    private readonly Conv2d output;

    public HeatmapHead(string name = "HeatmapHead") : base(name)
    {
        reduce = nn.Sequential(
            ("0", ConvNormAct.Conv2d(2 * D2dCnn.OutputDim, 64, 1)),
            ("1", ConvNormAct.Conv2d(64, 32, 1)),
            ("2", ConvNormAct.Conv2d(32, 16, 1)),
            ("3", ConvNormAct.ConvTranspose2d(16, 16, 5, bias: true)),
            ("4", ConvNormAct.Conv2d(16, 16, 3)));
        up1 = nn.Sequential(
            ("0", ConvNormAct.ConvTranspose2d(16, 16, 5, bias: true)),
            ("1", ConvNormAct.Conv2d(16, 8, 3)),
            ("2", ConvNormAct.ConvTranspose2d(8, 4, 5, bias: false)));
        output = nn.Conv2d(4, 1, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor pair)
    {
        using var x = pair.reshape(pair.shape[0], pair.shape[1], 1, 1);
        using var a = reduce.forward(x);                                   // (N, 16, 3, 3)
        using var b = nn.functional.interpolate(a, size: [11, 11], mode: InterpolationMode.Bilinear, align_corners: false);
        using var c = up1.forward(b);                                      // (N, 4, 17, 17)
        using var d = nn.functional.interpolate(c, size: [Size, Size], mode: InterpolationMode.Bilinear, align_corners: false);
        using var e = output.forward(d);
        return e.squeeze(1);
    }
}
