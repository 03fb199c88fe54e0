using Streaming.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Slices;

/// <summary>
/// The fine-tuned 2-D segmentation network: a <see cref="UNet2d"/> (parameters <c>unet.*</c>, the names a SAL or PCL
/// export uses below <c>unet.</c>) and a 1x1 convolution to class logits (<c>classifier.*</c>).
/// Input (N, 1, H, W), output logits (N, classes, H, W).
/// </summary>
public sealed class SliceSegmenter : nn.Module<Tensor, Tensor>
{
    private readonly UNet2d unet;
    private readonly Conv2d classifier;

    public SliceSegmenter(UNet2dOptions o, int classes, string name = "SliceSegmenter") : base(name)
    {
        if (classes is < 2 or > 256) throw new ArgumentException($"classes must be 2..256, got {classes}");
        unet = new UNet2d(o);
        classifier = nn.Conv2d(o.Widths[0], classes, 1);
        Classes = classes;
        RegisterComponents();
    }

    public int Classes { get; }
    public UNet2d UNet => unet;

    public override Tensor forward(Tensor x)
    {
        using var features = unet.forward(x);
        return classifier.forward(features);
    }
}
