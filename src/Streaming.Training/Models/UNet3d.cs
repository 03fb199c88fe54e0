using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// vox2vec-UNet: the same encoder and pyramid output as <see cref="Vox2VecFpn"/>, but each decoder level
/// concatenates the upsampled coarser decoder level with the skip connection and fuses them with a 1x1 convolution
/// (UNet-style) instead of adding.
/// </summary>
public sealed class UNet3d : FeatureExtractor
{
    private readonly Encoder3d encoder;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> fuse;
    private readonly ModuleList<Sequential> decoder;
    private readonly int[] channels;

    public UNet3d(BackboneOptions o, string name = "UNet3d") : base(name, o.InChannels, FeatureLevel.Pyramid(o.LevelChannels()))
    {
        encoder = new Encoder3d(o);
        channels = o.LevelChannels();
        fuse = nn.ModuleList<nn.Module<Tensor, Tensor>>(
            Enumerable.Range(0, o.Levels - 1).Select(l => (nn.Module<Tensor, Tensor>)nn.Conv3d(channels[l] + channels[l + 1], channels[l], 1)).ToArray());
        decoder = nn.ModuleList(Enumerable.Range(0, o.Levels - 1).Select(l => Encoder3d.Blocks(channels[l], o)).ToArray());
        RegisterComponents();
    }

    public override Tensor[] forward(Tensor x)
    {
        CheckInput(x);
        var f = encoder.forward(x);
        int top = f.Length - 1;
        var d = new Tensor[f.Length];
        d[top] = f[top];
        for (int l = top - 1; l >= 0; l--)
        {
            using var up = nn.functional.interpolate(d[l + 1], size: f[l].shape[2..], mode: InterpolationMode.Nearest);
            using var cat = torch.cat([f[l], up], 1);
            using var fused = MixedPrecision.Forward(fuse[l], cat);
            d[l] = decoder[l].forward(fused);
        }
        return d;
    }
}
