using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// The building block of every network in "3-D context feature learning" (Table 1): a bias-free convolution
/// (2-D, 3-D or transposed), an optional 2x2 max-pool, affine GroupNorm and LeakyReLU, in the table's order.
/// Bias-free because GroupNorm's shift follows; the parameter counts of Table 1 are reproduced only this way.
/// </summary>
public sealed class ConvNormAct : nn.Module<Tensor, Tensor>
{
    /// <summary>LeakyReLU slope: the paper names no slope, so PyTorch's default.</summary>
    public const double Slope = 0.01;

    private readonly nn.Module<Tensor, Tensor> conv;
    private readonly nn.Module<Tensor, Tensor>? pool;
    private readonly nn.Module<Tensor, Tensor> norm;

    public ConvNormAct(nn.Module<Tensor, Tensor> conv, long channels, nn.Module<Tensor, Tensor>? pool = null, string name = "ConvNormAct") : base(name)
    {
        this.conv = conv;
        this.pool = pool;
        norm = Norms.Group(channels);
        RegisterComponents();
    }

    public static ConvNormAct Conv2d(long cin, long cout, long kernel, bool maxPool = false) =>
        new(nn.Conv2d(cin, cout, kernel, bias: false), cout, maxPool ? nn.MaxPool2d(2) : null);

    public static ConvNormAct Conv3d(long cin, long cout, long kernel, long dilation = 1) =>
        new(nn.Conv3d(cin, cout, kernel, dilation: dilation, bias: false), cout);

    /// <summary>Transposed 2-D convolution, stride 1 (grows the map by kernel - 1).</summary>
    public static ConvNormAct ConvTranspose2d(long cin, long cout, long kernel, bool bias) =>
        new(nn.ConvTranspose2d(cin, cout, kernel, bias: bias), cout);

    public override Tensor forward(Tensor x)
    {
        using var c = conv.forward(x);
        using var p = pool?.forward(c);
        using var n = norm.forward(p ?? c);
        return nn.functional.leaky_relu(n, Slope);
    }
}
