using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models.Context;

/// <summary>
/// Descriptor 2D CNN (D2D-CNN, Table 1): a 3-channel 42x42 planar patch (three thin planes along the normal) to a
/// 64-d descriptor with six bias-free valid 3x3 convolutions: 3-32 + max-pool, 32-32 + max-pool, 32-64, then 64-64
/// three times (42 → 40 → 20 → 18 → 9 → 7 → 5 → 3 → 1), each followed by affine GroupNorm and LeakyReLU.
/// 139,744 parameters, the count the paper states (its table lists a seventh 32-32 layer, which the count rules out).
/// Input (N, 3, 42, 42), output (N, 64).
/// </summary>
public sealed class D2dCnn : nn.Module<Tensor, Tensor>
{
    public const int PatchSize = 42;
    public const int Planes = 3;
    public const int OutputDim = 64;

    private readonly Sequential layers;

    public D2dCnn(string name = "D2dCnn") : base(name)
    {
        layers = nn.Sequential(
            ("0", ConvNormAct.Conv2d(Planes, 32, 3, maxPool: true)),
            ("1", ConvNormAct.Conv2d(32, 32, 3, maxPool: true)),
            ("2", ConvNormAct.Conv2d(32, 64, 3)),
            ("3", ConvNormAct.Conv2d(64, 64, 3)),
            ("4", ConvNormAct.Conv2d(64, 64, 3)),
            ("5", ConvNormAct.Conv2d(64, OutputDim, 3)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != Planes || x.shape[2] != PatchSize || x.shape[3] != PatchSize)
            throw new ArgumentException($"D2D-CNN expects (N, {Planes}, {PatchSize}, {PatchSize}); got [{string.Join(", ", x.shape)}]");
        using var f = layers.forward(x);
        return f.flatten(1);
    }
}
