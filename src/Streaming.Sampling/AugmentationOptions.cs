namespace Streaming.Sampling;

/// <summary>
/// Augmentation settings. vox2vec: blur or sharpen (one of them with P), Gaussian noise, random HU window then
/// scaling to [0,1]. Hierarchical dense SSL: local pixel shuffling, in-painting boxes, Bezier intensity curve.
/// Each transform draws its parameters from the step's random stream and calls a deterministic twin.
/// </summary>
public sealed record AugmentationOptions
{
    // vox2vec (in-plane blur / sharpen)
    public double BlurOrSharpenProbability { get; init; } = 0.5;
    public double BlurSigmaMin { get; init; } = 0.25;
    public double BlurSigmaMax { get; init; } = 1.5;
    public double SharpenSigma1Min { get; init; } = 0.5;
    public double SharpenSigma1Max { get; init; } = 1.0;
    public double SharpenSigma2 { get; init; } = 0.5;
    public double SharpenAlphaMin { get; init; } = 10;
    public double SharpenAlphaMax { get; init; } = 30;
    // vox2vec noise (HU)
    public double NoiseProbability { get; init; } = 0.5;
    public double NoiseStdMax { get; init; } = 30;
    // vox2vec window (HU), then clip and scale to [0,1]
    public double FixedWindowProbability { get; init; } = 0.2;
    public double WindowMin { get; init; } = InputScaling.CtWindow.Lower;
    public double WindowMax { get; init; } = InputScaling.CtWindow.Upper;
    public double WindowLowerMin { get; init; } = InputScaling.CtWindow.Lower;
    public double WindowLowerMax { get; init; } = -1000;
    public double WindowUpperMin { get; init; } = 300;
    public double WindowUpperMax { get; init; } = InputScaling.CtWindow.Upper;
    // hierarchical dense SSL (applied after windowing, on [0,1] values); 0 disables
    public double LocalShuffleProbability { get; init; }
    public int LocalShuffleBlocks { get; init; } = 1000;
    public int LocalShuffleMaxBlockSize { get; init; } = 8;
    public double InpaintProbability { get; init; }
    public int InpaintMaxBoxes { get; init; } = 5;
    public double InpaintMinFraction { get; init; } = 1.0 / 6;
    public double InpaintMaxFraction { get; init; } = 1.0 / 3;
    public double BezierProbability { get; init; }
    /// <summary>Off for MR or for tests that want raw intensities.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The fixed window [WindowMin, WindowMax]: clean views and the model's input outside training.</summary>
    public InputScaling FixedWindow() => new(WindowMin, WindowMax);

    public void Validate()
    {
        static void P(double p, string n) { if (!(p >= 0 && p <= 1)) throw new ArgumentException($"augmentations.{n} must be a probability in [0,1]"); }
        P(BlurOrSharpenProbability, "blurOrSharpenProbability"); P(NoiseProbability, "noiseProbability");
        P(FixedWindowProbability, "fixedWindowProbability"); P(LocalShuffleProbability, "localShuffleProbability");
        P(InpaintProbability, "inpaintProbability"); P(BezierProbability, "bezierProbability");
        if (!(BlurSigmaMin > 0 && BlurSigmaMin <= BlurSigmaMax)) throw new ArgumentException("augmentations: 0 < blurSigmaMin <= blurSigmaMax");
        if (!(SharpenSigma1Min > 0 && SharpenSigma1Min <= SharpenSigma1Max && SharpenSigma2 > 0)) throw new ArgumentException("augmentations: sharpen sigmas must be positive and ordered");
        if (!(SharpenAlphaMin <= SharpenAlphaMax)) throw new ArgumentException("augmentations: sharpenAlphaMin <= sharpenAlphaMax");
        if (!(NoiseStdMax >= 0)) throw new ArgumentException("augmentations.noiseStdMax must be >= 0");
        if (!(WindowMin < WindowMax && WindowLowerMin <= WindowLowerMax && WindowUpperMin <= WindowUpperMax && WindowLowerMax < WindowUpperMin))
            throw new ArgumentException("augmentations: window bounds must be ordered (lower range below upper range)");
        if (LocalShuffleBlocks < 0 || LocalShuffleMaxBlockSize < 1 || InpaintMaxBoxes < 0) throw new ArgumentException("augmentations: counts must be non-negative");
        if (!(InpaintMinFraction > 0 && InpaintMinFraction <= InpaintMaxFraction && InpaintMaxFraction <= 1)) throw new ArgumentException("augmentations: 0 < inpaintMinFraction <= inpaintMaxFraction <= 1");
    }
}
