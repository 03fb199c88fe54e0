using Streaming.Imaging.Volumes;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Augment;

/// <summary>Every parameter of one view's augmentation, drawn up front so that applying is deterministic.</summary>
public sealed record ViewAugmentationParameters(
    BlurOrSharpenParameters Filter,
    GaussianNoiseParameters Noise,
    IntensityWindowParameters Window,
    BezierParameters Bezier,
    LocalShuffleParameters Shuffle,
    InpaintParameters Inpaint);

/// <summary>
/// The per-view intensity pipeline, in order: vox2vec's blur-or-sharpen, noise, window (clip, scale to [0, 1]); then the
/// hierarchical method's Bezier curve, local shuffling and in-painting (Models Genesis' order) on [0, 1] values.
/// Spatial augmentation is the crop itself, so positions need no mapping here.
/// </summary>
public static class ViewAugmentation
{
    public static ViewAugmentationParameters Draw(RandomKey key, AugmentationOptions o, Int3 shape)
    {
        // One stream per transform: turning one transform on or off leaves the others' draws unchanged.
        var r0 = key.With(0).Stream(); var r1 = key.With(1).Stream(); var r2 = key.With(2).Stream();
        var r3 = key.With(3).Stream(); var r4 = key.With(4).Stream(); var r5 = key.With(5).Stream();
        return new(
            BlurOrSharpen.Draw(ref r0, o),
            GaussianNoise.Draw(ref r1, o),
            IntensityWindow.Draw(ref r2, o),
            BezierIntensity.Draw(ref r3, o),
            LocalPixelShuffle.Draw(ref r4, o, shape),
            Inpainting.Draw(ref r5, o, shape));
    }

    public static void Apply(Span<float> view, Int3 shape, ViewAugmentationParameters p, AugmentScratch scratch)
    {
        BlurOrSharpen.Apply(view, shape, p.Filter, scratch);
        GaussianNoise.Apply(view, p.Noise);
        IntensityWindow.Apply(view, p.Window);
        BezierIntensity.Apply(view, p.Bezier);
        LocalPixelShuffle.Apply(view, shape, p.Shuffle, scratch);
        Inpainting.Apply(view, shape, p.Inpaint);
    }

    /// <summary>The reconstruction target for a view: the same crop through the fixed window only.</summary>
    public static void ApplyClean(Span<float> view, AugmentationOptions o) => o.FixedWindow().Apply(view);
}
