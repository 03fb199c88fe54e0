using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Anatomy;

/// <summary>Applies <see cref="SynthContrast"/> to drawn parameters: the deterministic twin of the draw, so forcing a phase changes nothing else.</summary>
public static class ContrastPhase
{
    public static PhantomParameters Apply(PhantomParameters p, SynthContrast contrast) => (p.Modality, contrast) switch
    {
        // MR renders T1/T2 signal, which the CT contrast phase does not enter.
        (Modality.MR, _) or (_, SynthContrast.Drawn) => p,
        (_, SynthContrast.Plain) => p with { Contrast = false },
        (_, SynthContrast.Venous) => p with { Contrast = true },
        _ => throw new ArgumentOutOfRangeException(nameof(contrast), contrast, "unknown contrast phase"),
    };
}
