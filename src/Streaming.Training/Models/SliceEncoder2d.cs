using Streaming.Imaging.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// SAL's exported feature extractor: the 2-D U-Net encoder (<see cref="UNet2dEncoder"/>, the part SAL and PCL
/// pre-train) run on every axial slice of a volume. Input (N, C, D, H, W) becomes N·D slices; level l comes back as
/// (N, Widths[l], D, H / 2^l, W / 2^l), i.e. stride (2^l, 2^l, 1). Weight names are <c>encoder.levels.L.*</c>, the
/// names of a <see cref="UNet2d"/>'s encoder, so a 2-D U-Net for fine-tuning loads them directly. The decoder is not
/// part of it: pre-training never trains one.
/// </summary>
public sealed class SliceEncoder2d : FeatureExtractor
{
    private readonly UNet2dEncoder encoder;

    public SliceEncoder2d(UNet2dOptions o, string name = "SliceEncoder2d") : base(name, o.InChannels, Levels2d(o))
    {
        Options = o;
        encoder = new UNet2dEncoder(o);
        RegisterComponents();
    }

    public UNet2dOptions Options { get; }

    private static FeatureLevel[] Levels2d(UNet2dOptions o)
    {
        o.Validate();
        return o.Widths.Select((c, l) => new FeatureLevel(c, new Int3(1 << l, 1 << l, 1))).ToArray();
    }

    /// <summary>The encoder on slices (B, C, H, W) with H and W multiples of 2^downsamplings: levels finest first.</summary>
    public Tensor[] Encode(Tensor slices)
    {
        int m = Options.SizeMultiple;
        if (slices.dim() != 4 || slices.shape[1] != InChannels || slices.shape[2] % m != 0 || slices.shape[3] % m != 0)
            throw new ArgumentException($"{GetName()}: slices must be (B, {InChannels}, H, W) with H and W multiples of {m}; got [{string.Join(", ", slices.shape)}]");
        return encoder.forward(slices);
    }

    public override Tensor[] forward(Tensor x)
    {
        CheckInput(x);
        long n = x.shape[0], c = x.shape[1], d = x.shape[2], h = x.shape[3], w = x.shape[4];
        using var slices = x.permute(0, 2, 1, 3, 4).reshape(n * d, c, h, w);
        var levels = encoder.forward(slices);
        var outs = new Tensor[levels.Length];
        for (int l = 0; l < levels.Length; l++)
        {
            using var level = levels[l];
            outs[l] = level.reshape(n, d, level.shape[1], level.shape[2], level.shape[3]).permute(0, 2, 1, 3, 4).contiguous();
        }
        return outs;
    }
}
