using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;
using Streaming.Tests;

namespace Streaming.Synth.Tests;

public class ContrastPhaseTests
{
    [Fact]
    public void PlainAndVenousKeepTheSeedsAnatomyAndRaiseOnlyEnhancingTissue()
    {
        var drawn = PhantomSampler.Draw(5, Modality.CT, SynthSize.Small, FieldOfView.Abdomen);
        var plainP = ContrastPhase.Apply(drawn, SynthContrast.Plain);
        var venousP = ContrastPhase.Apply(drawn, SynthContrast.Venous);
        Assert.False(plainP.Contrast);
        Assert.True(venousP.Contrast);
        // Every other draw of the seed is kept (the phase is overridden, not drawn differently).
        Assert.Equal(drawn with { Contrast = false }, plainP);
        Assert.Equal(drawn with { Contrast = true }, venousP);

        var plain = PhantomGenerator.Generate(plainP);
        var venous = PhantomGenerator.Generate(venousP);
        Assert.Equal(plain.Image.Geometry, venous.Image.Geometry);
        Assert.True(plain.Labels.Data.AsSpan().SequenceEqual(venous.Labels.Data));
        foreach (var organ in new[] { PhantomLabels.Aorta, PhantomLabels.KidneyLeft, PhantomLabels.KidneyRight })
        {
            var (p, n) = LabelStats.InteriorMean(plain.Image, plain.Labels, organ);
            var (v, _) = LabelStats.InteriorMean(venous.Image, venous.Labels, organ);
            Assert.True(n > 10, $"label {organ}: {n} interior voxels");
            Assert.True(v > p + 50, $"label {organ}: venous {v:F0} HU vs plain {p:F0} HU");
        }
        // Fat does not enhance: same noise, about the same values (small vessels in it do enhance).
        var fatPlain = LabelStats.InteriorMean(plain.Image, plain.Labels, PhantomLabels.SubcutaneousFat).Mean;
        var fatVenous = LabelStats.InteriorMean(venous.Image, venous.Labels, PhantomLabels.SubcutaneousFat).Mean;
        Assert.Equal(fatPlain, fatVenous, 1.0);
    }

    [Fact]
    public void MrIgnoresTheContrastPhase()
    {
        var p = PhantomSampler.Draw(5, Modality.MR, SynthSize.Small);
        Assert.Same(p, ContrastPhase.Apply(p, SynthContrast.Venous));
        Assert.Same(p, ContrastPhase.Apply(p, SynthContrast.Plain));
    }

    [Fact]
    public void TheRunnerForcesThePhaseAndDrawnWritesTheDefaultBytes()
    {
        using var t = new TempDir();
        SynthReport Run(string name, SynthContrast? c) => SynthRunner.Run(c is { } contrast
            ? new SynthOptions { OutputDir = Path.Combine(t.Root, name), Count = 4, Seed = 3, Parallelism = 1, Contrast = contrast }
            : new SynthOptions { OutputDir = Path.Combine(t.Root, name), Count = 4, Seed = 3, Parallelism = 1 });
        var byDefault = Run("default", null);
        var drawn = Run("drawn", SynthContrast.Drawn);
        var plain = Run("plain", SynthContrast.Plain);
        var venous = Run("venous", SynthContrast.Venous);

        var plans = SynthRunner.Plan(new SynthOptions { OutputDir = t.Root, Count = 4, Seed = 3 });
        var drawnVenous = plans.Select(p => PhantomSampler.Draw(p.Seed, p.Modality, SynthSize.Small).Contrast).ToList();
        // The seed gives both phases, so each forced run differs from the drawn one somewhere.
        Assert.Contains(true, drawnVenous);
        Assert.Contains(false, drawnVenous);
        for (var i = 0; i < plans.Count; i++)
        {
            Assert.Equal(File.ReadAllBytes(byDefault.Cases[i].ImagePath), File.ReadAllBytes(drawn.Cases[i].ImagePath));
            Assert.Equal(File.ReadAllBytes(byDefault.Cases[i].LabelPath!), File.ReadAllBytes(drawn.Cases[i].LabelPath!));
            // Drawn is the forced run of the phase the seed drew, byte for byte.
            var same = drawnVenous[i] ? venous : plain;
            Assert.Equal(File.ReadAllBytes(drawn.Cases[i].ImagePath), File.ReadAllBytes(same.Cases[i].ImagePath));
            Assert.Equal(File.ReadAllBytes(plain.Cases[i].LabelPath!), File.ReadAllBytes(venous.Cases[i].LabelPath!));
            Assert.Contains("CT plain", NiftiReader.Read(plain.Cases[i].ImagePath).Metadata["descrip"]);
            Assert.Contains("CT venous", NiftiReader.Read(venous.Cases[i].ImagePath).Metadata["descrip"]);
        }
    }

    [Fact]
    public void NlstRefusesAVenousPhase()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new SynthOptions { OutputDir = "x", Layout = SynthLayout.Nlst, Contrast = SynthContrast.Venous }.Validate());
        Assert.Contains("non-contrast", e.Message);
        new SynthOptions { OutputDir = "x", Layout = SynthLayout.Nlst, Contrast = SynthContrast.Plain }.Validate();
    }
}
