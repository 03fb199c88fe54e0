using static TorchSharp.torch;

namespace Streaming.Evaluation.Heads;

/// <summary>Maps a feature pyramid (N, C_l, D/2^l, H/2^l, W/2^l), finest first, to class logits (N, K, D, H, W).</summary>
public abstract class SegmentationHead : nn.Module<Tensor[], Tensor>
{
    protected SegmentationHead(string name, int classes) : base(name)
    {
        if (classes < 2) throw new ArgumentException($"a segmentation head needs >= 2 classes (background included), got {classes}");
        Classes = classes;
    }

    public int Classes { get; }

    /// <summary>Trilinear upsampling to the finest level's size (linear, so the heads stay linear where they should).</summary>
    protected static Tensor Up(Tensor t, long[] size) =>
        nn.functional.interpolate(t, size: size, mode: InterpolationMode.Trilinear, align_corners: false);
}
