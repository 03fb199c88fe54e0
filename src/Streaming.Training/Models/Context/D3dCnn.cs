using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// Descriptor 3D CNN of the DOERSCH baseline (Table 1): a 25³ cube to a 192-d descriptor with seven bias-free valid
/// 3-D convolutions (kernel, dilation): 1-16 (5, 1), 16-32 (3, 2), 32-32 (3, 2), 32-32 (3, 2), 32-32 (3, 1),
/// 32-32 (5, 1), 32-192 (3, 1) — 25 → 21 → 17 → 13 → 9 → 7 → 3 → 1 — each with GroupNorm and LeakyReLU.
/// 393,392 parameters, as stated. Input (N, 1, 25, 25, 25), output (N, 192).
/// </summary>
public sealed class D3dCnn : nn.Module<Tensor, Tensor>
{
    public const int CubeSize = 25;
    public const int OutputDim = 192;

    private readonly Sequential layers;

    public D3dCnn(string name = "D3dCnn") : base(name)
    {
        layers = nn.Sequential(
            ("0", ConvNormAct.Conv3d(1, 16, 5)),
            ("1", ConvNormAct.Conv3d(16, 32, 3, dilation: 2)),
            ("2", ConvNormAct.Conv3d(32, 32, 3, dilation: 2)),
            ("3", ConvNormAct.Conv3d(32, 32, 3, dilation: 2)),
            ("4", ConvNormAct.Conv3d(32, 32, 3)),
            ("5", ConvNormAct.Conv3d(32, 32, 5)),
            ("6", ConvNormAct.Conv3d(32, OutputDim, 3)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 5 || x.shape[1] != 1 || x.shape[2] != CubeSize || x.shape[3] != CubeSize || x.shape[4] != CubeSize)
            throw new ArgumentException($"D3D-CNN expects (N, 1, {CubeSize}, {CubeSize}, {CubeSize}); got [{string.Join(", ", x.shape)}]");
        using var f = layers.forward(x);
        return f.flatten(1);
    }
}
