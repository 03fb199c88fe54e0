using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Tests;

public class FixedFieldOfViewTests
{
    private static readonly long[] Seeds = [3, 8, 21, 34];

    [Fact]
    public void TheGridSpansExactlyTheNominalRangeInThePatientsScale()
    {
        var (top, bottom) = PhantomSampler.NominalRange(FieldOfView.Abdomen);
        foreach (var seed in Seeds)
        {
            var p = PhantomSampler.Draw(seed, Modality.CT, SynthSize.Small, fixedFieldOfView: true);
            Assert.Equal(FieldOfView.Abdomen, p.FieldOfView);
            var g = p.Geometry;
            var first = g.IndexToPhysical(0, 0, 0).Z;
            var last = g.IndexToPhysical(0, 0, p.Shape.Z - 1).Z;
            Assert.Equal(bottom * p.PatientScale, first, 0.05);
            Assert.Equal(top * p.PatientScale, last, 0.05);
            Assert.InRange(p.Spacing.Z, 2.9, 5.1);
        }
    }

    [Fact]
    public void OtherDrawsOfTheSeedAreUnchanged()
    {
        var drawn = PhantomSampler.Draw(8, Modality.CT, SynthSize.Small, FieldOfView.Abdomen);
        var fixedFov = PhantomSampler.Draw(8, Modality.CT, SynthSize.Small, FieldOfView.Abdomen, fixedFieldOfView: true);
        Assert.Equal(drawn with { Shape = fixedFov.Shape, Spacing = fixedFov.Spacing, Origin = fixedFov.Origin }, fixedFov);
        Assert.Equal(drawn.Shape.X, fixedFov.Shape.X);
        Assert.Equal(drawn.Spacing.X, fixedFov.Spacing.X);
    }

    [Fact]
    public void TheSameRelativeSliceShowsTheSameAnatomyInEveryPatient()
    {
        // Relative z of the kidneys' centre (index / slice count): with a fixed field of view it varies only by the
        // organ jitter; with drawn ranges (the default) the scan's ends move by up to 40 mm and it varies more.
        double Spread(bool fixedFov) => Seeds.Select(seed =>
        {
            var p = PhantomSampler.Draw(seed, Modality.CT, SynthSize.Small, FieldOfView.Abdomen, fixedFov);
            return RelativeCentreZ(PhantomGenerator.Generate(p).Labels, PhantomLabels.KidneyLeft, PhantomLabels.KidneyRight);
        }).Aggregate((Min: 1.0, Max: 0.0), (a, r) => (Math.Min(a.Min, r), Math.Max(a.Max, r)), a => a.Max - a.Min);
        var fixedSpread = Spread(true);
        var drawnSpread = Spread(false);
        Assert.True(fixedSpread < 0.05, $"fixed field of view: kidney relative z spread {fixedSpread:F3}");
        Assert.True(drawnSpread > 2 * fixedSpread, $"drawn {drawnSpread:F3} vs fixed {fixedSpread:F3}");
    }

    [Fact]
    public void TheRunnerWritesFixedFieldOfViewCases()
    {
        using var t = new Streaming.Tests.TempDir();
        var report = SynthRunner.Run(new SynthOptions { OutputDir = t.Root, Count = 1, Seed = 4, FixedFieldOfView = true, Parallelism = 1 });
        var c = Assert.Single(report.Cases);
        var p = PhantomSampler.Draw(SynthRunner.Plan(new SynthOptions { OutputDir = t.Root, Count = 1, Seed = 4 })[0].Seed, Modality.CT, SynthSize.Small);
        var g = Streaming.Imaging.Formats.Nifti.NiftiReader.Read(c.ImagePath).Volume.Geometry;
        var zs = new[] { g.IndexToPhysical(0, 0, 0).Z, g.IndexToPhysical(0, 0, g.Shape.Z - 1).Z };
        var (top, bottom) = PhantomSampler.NominalRange(FieldOfView.Abdomen);
        Assert.Equal(bottom * p.PatientScale, zs.Min(), 0.05);
        Assert.Equal(top * p.PatientScale, zs.Max(), 0.05);
    }

    private static double RelativeCentreZ(Volume<byte> labels, params byte[] ids)
    {
        var n = labels.Shape;
        double sum = 0; long count = 0;
        for (var z = 0; z < n.Z; z++)
        {
            var slice = labels.Data.AsSpan((int)(n.X * (long)n.Y * z), n.X * n.Y);
            foreach (var id in ids)
            {
                var c = slice.Count(id);
                sum += (double)z * c; count += c;
            }
        }
        Assert.True(count > 0, "no voxel of the organ");
        return sum / count / n.Z;
    }
}
