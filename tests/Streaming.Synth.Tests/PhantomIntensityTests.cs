using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Tests;

public class PhantomIntensityTests
{
    private static readonly long[] Seeds = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void EachOrgansInteriorMeanHuIsInItsPublishedRange()
    {
        var sawContrast = false; var sawPlain = false;
        foreach (var seed in Seeds)
        {
            // Alternate plain and contrast-enhanced scans; everything else as drawn from the seed.
            var p = PhantomSampler.Draw(seed, Modality.CT, SynthSize.Small, FieldOfView.ThoraxAbdomen) with { Contrast = seed % 2 == 0 };
            var ph = PhantomGenerator.Generate(p);
            var contrast = ph.Parameters.Contrast;
            sawContrast |= contrast; sawPlain |= !contrast;
            var checkedLabels = 0;
            foreach (var label in PhantomLabels.All.Skip(1))
            {
                var (mean, count) = LabelStats.InteriorMean(ph.Image, ph.Labels, label.Id);
                if (count < 10) continue; // ribs and small lesions have no interior at 3-5 mm voxels
                var (lo, hi) = contrast ? (label.ContrastHuMin, label.ContrastHuMax) : (label.PlainHuMin, label.PlainHuMax);
                Assert.True(mean >= lo && mean <= hi,
                    $"seed {seed} ({(contrast ? "contrast" : "plain")}): {label.Name} interior mean {mean:F1} HU over {count} voxels, expected {lo}..{hi}");
                checkedLabels++;
            }
            Assert.True(checkedLabels >= 12, $"seed {seed}: only {checkedLabels} labels had an interior");
        }
        Assert.True(sawContrast && sawPlain, "the seeds should cover plain and contrast-enhanced scans");
    }

    [Fact]
    public void KeyTissuesHaveTheirTypicalValues()
    {
        var p = PhantomSampler.Draw(11, Modality.CT, SynthSize.Small, FieldOfView.ThoraxAbdomen) with { Contrast = true, EnhancementFactor = 1 };
        var ph = PhantomGenerator.Generate(p);
        var lung = LabelStats.InteriorMean(ph.Image, ph.Labels, PhantomLabels.LungRight).Mean;
        Assert.InRange(lung, -900, -800);
        Assert.True(LabelStats.InteriorMean(ph.Image, ph.Labels, PhantomLabels.Aorta).Mean > 150, "enhanced aorta > 150 HU");
        Assert.True(LabelStats.InteriorMean(ph.Image, ph.Labels, PhantomLabels.Vertebrae).Mean > 200, "vertebrae > 200 HU");
        Assert.InRange(LabelStats.InteriorMean(ph.Image, ph.Labels, PhantomLabels.Liver).Mean, 90, 130);

        var plain = PhantomGenerator.Generate(p with { Contrast = false });
        Assert.InRange(LabelStats.InteriorMean(plain.Image, plain.Labels, PhantomLabels.Liver).Mean, 40, 80);
        Assert.InRange(LabelStats.InteriorMean(plain.Image, plain.Labels, PhantomLabels.Aorta).Mean, 25, 65);
    }

    [Fact]
    public void OutsideTheBodyIsAirOrPadding()
    {
        var p = PhantomSampler.Draw(5, Modality.CT, SynthSize.Small, FieldOfView.Abdomen) with { OutOfFieldValue = -2048 };
        var ph = PhantomGenerator.Generate(p);
        var n = ph.Image.Shape;
        // Row y = 0 lies anterior of the body (the field of view is wider than the patient is deep).
        var air = new List<float>();
        for (var z = 0; z < n.Z; z++)
            for (var x = 0; x < n.X; x++)
            {
                var v = ph.Image[x, 0, z];
                Assert.Equal(PhantomLabels.Background, ph.Labels[x, 0, z]);
                if (v == -2048) continue;
                Assert.InRange(v, -1024, -900);
                air.Add(v);
            }
        Assert.NotEmpty(air);
        Assert.InRange(air.Average(), -1010, -975);
        // The corner of a slice is outside the reconstruction circle.
        Assert.Equal(-2048, ph.Image[0, 0, n.Z / 2]);
    }

    [Fact]
    public void AtLeastTenLabelledClassesAppear()
    {
        var ph = PhantomGenerator.Generate(3, Modality.CT, SynthSize.Small, FieldOfView.ThoraxAbdomen);
        var present = ph.Labels.Data.Distinct().Count(b => b != 0);
        Assert.True(present >= 14, $"{present} classes present");
        Assert.True(PhantomLabels.Count - 1 >= 10);
    }

    [Fact]
    public void FieldOfViewRestrictsWhichOrgansAppear()
    {
        foreach (var seed in new long[] { 1, 2, 3 })
        {
            var thorax = PhantomGenerator.Generate(seed, Modality.CT, SynthSize.Small, FieldOfView.Thorax);
            Assert.Equal(0, LabelStats.Count(thorax.Labels, PhantomLabels.KidneyLeft) + LabelStats.Count(thorax.Labels, PhantomLabels.KidneyRight));
            Assert.Equal(0, LabelStats.Count(thorax.Labels, PhantomLabels.Bowel));
            Assert.True(LabelStats.Count(thorax.Labels, PhantomLabels.Heart) > 100);
            Assert.True(LabelStats.Count(thorax.Labels, PhantomLabels.LungLeft) > 1000);

            var abdomen = PhantomGenerator.Generate(seed, Modality.CT, SynthSize.Small, FieldOfView.Abdomen);
            Assert.True(LabelStats.Count(abdomen.Labels, PhantomLabels.KidneyLeft) > 100);
            Assert.True(LabelStats.Count(abdomen.Labels, PhantomLabels.Bowel) > 100);
            Assert.True(LabelStats.Count(abdomen.Labels, PhantomLabels.Liver) > 1000);
            // Only the lung bases reach into an abdominal scan.
            Assert.True(LabelStats.Count(abdomen.Labels, PhantomLabels.LungLeft) < LabelStats.Count(thorax.Labels, PhantomLabels.LungLeft) / 3);
        }
    }
}
