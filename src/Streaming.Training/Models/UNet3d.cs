using Streaming.Imaging.Volumes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// vox2vec's UNet ablation: the same encoder as <see cref="Vox2VecFpn"/>, but each decoder level concatenates the
/// upsampled coarser decoder level with the skip connection and fuses them with a 1x1 convolution (UNet-style) instead
/// of adding. By default it outputs only the last decoder layer, one full-resolution map of channels[0], as the paper's
/// ablation does ("vox2vec-UNet": 57.9 vs 69.2 Dice for the FPN pyramid). With <c>pyramid</c> it returns every decoder
/// level like the FPN (<c>vox2vec-unet-pyramid</c>, which isolates the decoder's merge from the pyramid read-out).
/// </summary>
public sealed class UNet3d : FeatureExtractor
{
    private readonly Encoder3d encoder;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> fuse;
    private readonly ModuleList<Sequential> decoder;
    private readonly int[] channels;
    private readonly bool pyramid;

    public UNet3d(BackboneOptions o, bool pyramid = false, string name = "UNet3d")
        : base(name, o.InChannels, Outputs(o, pyramid), Aligned(o))
    {
        encoder = new Encoder3d(o);
        channels = o.LevelChannels();
        this.pyramid = pyramid;
        fuse = nn.ModuleList<nn.Module<Tensor, Tensor>>(
            Enumerable.Range(0, o.Levels - 1).Select(l => (nn.Module<Tensor, Tensor>)nn.Conv3d(channels[l] + channels[l + 1], channels[l], 1)).ToArray());
        decoder = nn.ModuleList(Enumerable.Range(0, o.Levels - 1).Select(l => Encoder3d.Blocks(channels[l], o)).ToArray());
        RegisterComponents();
    }

    /// <summary>The encoder pools Levels - 1 times, whichever maps are returned.</summary>
    private static Int3 Aligned(BackboneOptions o) => new(1 << (o.Levels - 1), 1 << (o.Levels - 1), 1 << (o.Levels - 1));

    private static FeatureLevel[] Outputs(BackboneOptions o, bool pyramid)
    {
        var all = FeatureLevel.Pyramid(o.LevelChannels());
        return pyramid ? all : [all[0]];
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
        return pyramid ? d : [d[0]];
    }
}
