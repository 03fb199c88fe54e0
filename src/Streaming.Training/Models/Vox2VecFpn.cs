using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// vox2vec's 3D feature pyramid network. Encoder: <see cref="Encoder3d"/>. Decoder (top-down): the coarser decoder
/// level is upsampled (nearest) to the finer level's size, its channels reduced by a 1x1 convolution, added to the
/// lateral encoder feature and refined by residual blocks. Output: every decoder level, finest first; with base 16 and
/// 6 levels that is 16+32+...+512 = 1008 representation dims.
/// </summary>
public sealed class Vox2VecFpn : FeatureExtractor
{
    private readonly Encoder3d encoder;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> narrow;
    private readonly ModuleList<Sequential> decoder;
    private readonly int[] channels;

    public Vox2VecFpn(BackboneOptions o, string name = "Vox2VecFpn") : base(name, o.InChannels, FeatureLevel.Pyramid(o.LevelChannels()))
    {
        encoder = new Encoder3d(o);
        channels = o.LevelChannels();
        // narrow[l] maps level l+1's channels to level l's.
        narrow = nn.ModuleList<nn.Module<Tensor, Tensor>>(
            Enumerable.Range(0, o.Levels - 1).Select(l => (nn.Module<Tensor, Tensor>)nn.Conv3d(channels[l + 1], channels[l], 1)).ToArray());
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
            using var lat = MixedPrecision.Forward(narrow[l], up);
            using var sum = f[l].add(lat, Scalars.One);
            d[l] = decoder[l].forward(sum);
        }
        return d;
    }
}
