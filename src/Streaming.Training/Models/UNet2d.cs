using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// 2-D U-Net (Ronneberger et al. 2015) for slice-wise segmentation: encoder (<see cref="UNet2dEncoder"/>) and decoder
/// (<see cref="UNet2dDecoder"/>). Input (N, C, H, W) with H and W multiples of 2^downsamplings; output the
/// full-resolution features (N, Widths[0], H, W), to which a 1x1 classifier is attached for segmentation. Parameter
/// names: <c>encoder.levels.L.*</c> and <c>decoder.{up,fuse}.L.*</c> (pinned by a test: exports depend on them).
/// </summary>
public sealed class UNet2d : nn.Module<Tensor, Tensor>
{
    private readonly UNet2dEncoder encoder;
    private readonly UNet2dDecoder decoder;

    public UNet2d(UNet2dOptions o, string name = "UNet2d") : base(name)
    {
        o.Validate();
        Options = o;
        encoder = new UNet2dEncoder(o);
        decoder = new UNet2dDecoder(o);
        RegisterComponents();
    }

    public UNet2dOptions Options { get; }
    public UNet2dEncoder Encoder => encoder;
    public int OutputChannels => Options.Widths[0];

    /// <summary>Encoder levels, finest first, after checking the input's shape.</summary>
    public Tensor[] Encode(Tensor x)
    {
        CheckInput(x);
        return encoder.forward(x);
    }

    public override Tensor forward(Tensor x)
    {
        var levels = Encode(x);
        try { return decoder.forward(levels); }
        finally { foreach (var l in levels) l.Dispose(); }
    }

    private void CheckInput(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != Options.InChannels)
            throw new ArgumentException($"2-D U-Net input must be (N, {Options.InChannels}, H, W); got [{string.Join(", ", x.shape)}]");
        int m = Options.SizeMultiple;
        if (x.shape[2] % m != 0 || x.shape[3] % m != 0)
            throw new ArgumentException($"2-D U-Net input height and width must be multiples of {m}; got {x.shape[2]}x{x.shape[3]}");
    }
}
