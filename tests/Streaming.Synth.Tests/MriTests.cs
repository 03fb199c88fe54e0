using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Tests;

public class MriTests
{
    [Fact]
    public void BackgroundIsRicianNotZero()
    {
        var p = PhantomSampler.Draw(3, Modality.MR, SynthSize.Small, FieldOfView.Abdomen);
        var ph = PhantomGenerator.Generate(p);
        var n = ph.Image.Shape;
        double sum = 0; var count = 0; var zeros = 0;
        for (var z = 0; z < n.Z; z++)
            for (var x = 0; x < n.X; x++) { var v = ph.Image[x, 0, z]; sum += v; count++; if (v == 0) zeros++; }
        var mean = sum / count;
        // Rayleigh background: mean = sigma * sqrt(pi/2), sigma = MrNoiseSigma * liver signal * scale.
        Assert.True(mean > 0, "MRI background must carry Rician (Rayleigh) noise");
        Assert.True(zeros < count / 4, $"{zeros} of {count} background voxels are exactly 0");
    }

    [Fact]
    public void BiasFieldScalesIntensityAcrossThePatient()
    {
        var p = PhantomSampler.Draw(4, Modality.MR, SynthSize.Small, FieldOfView.Abdomen) with { Sequence = MrSequence.T1 };
        var flat = PhantomGenerator.Generate(p with { Bias = BiasField.None });
        var biased = PhantomGenerator.Generate(p with { Bias = new BiasField(0.4, 0, 0, 0, 0, 0, 0) });
        // exp(0.4 x) with x in [-1, 1] across columns: patient-left columns brighter, right columns darker.
        var n = flat.Image.Shape;
        double lb = 0, lf = 0, rb = 0, rf = 0;
        for (var z = 0; z < n.Z; z++)
            for (var y = 0; y < n.Y; y++)
                for (var x = 0; x < n.X; x++)
                {
                    if (flat.Labels[x, y, z] != PhantomLabels.SubcutaneousFat) continue;
                    if (x < n.X / 4) { rb += biased.Image[x, y, z]; rf += flat.Image[x, y, z]; }
                    else if (x >= 3 * n.X / 4) { lb += biased.Image[x, y, z]; lf += flat.Image[x, y, z]; }
                }
        Assert.True(rb / rf < 0.85, $"right-side ratio {rb / rf:F3} should be < 0.85");
        Assert.True(lb / lf > 1.15, $"left-side ratio {lb / lf:F3} should be > 1.15");
    }

    [Fact]
    public void T1AndT2ContrastsDiffer()
    {
        var p = PhantomSampler.Draw(5, Modality.MR, SynthSize.Small, FieldOfView.Abdomen) with { Bias = BiasField.None };
        var t1 = PhantomGenerator.Generate(p with { Sequence = MrSequence.T1 });
        var t2 = PhantomGenerator.Generate(p with { Sequence = MrSequence.T2 });
        double Ratio(Phantom ph) => LabelStats.InteriorMean(ph.Image, ph.Labels, PhantomLabels.Spleen).Mean
                                    / LabelStats.InteriorMean(ph.Image, ph.Labels, PhantomLabels.Liver).Mean;
        // Spleen is darker than liver on T1 and brighter on T2.
        Assert.True(Ratio(t1) < 0.9, $"T1 spleen/liver {Ratio(t1):F2}");
        Assert.True(Ratio(t2) > 1.5, $"T2 spleen/liver {Ratio(t2):F2}");
        Assert.Equal(PhantomLabels.Background, 0);
    }
}
