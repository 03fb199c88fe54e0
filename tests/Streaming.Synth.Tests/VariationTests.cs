using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;
using Streaming.Synth.Output;
using Streaming.Tests;

namespace Streaming.Synth.Tests;

public class VariationTests
{
    [Fact]
    public void HeaderConventionsCoverEveryVariant()
    {
        var ct = Enumerable.Range(0, 300).Select(i => NiftiConvention.Draw(new SynthRandom(i, 0xC0DE), Modality.CT)).ToList();
        Assert.Contains(ct, c => c.SformCode > 0 && c.QformCode > 0);
        Assert.Contains(ct, c => c.SformCode > 0 && c.QformCode == 0);
        Assert.Contains(ct, c => c.SformCode == 0 && c.QformCode > 0);
        Assert.Contains(ct, c => c.Version == 2);
        Assert.Contains(ct, c => c.FlipX);
        Assert.Contains(ct, c => c.FlipY);
        Assert.Contains(ct, c => c.SclInter == -1024);
        Assert.Contains(ct, c => c.SclInter == 0);
        Assert.All(ct, c => Assert.Equal(NiftiDataType.Int16, c.ImageType));
        var mr = Enumerable.Range(0, 300).Select(i => NiftiConvention.Draw(new SynthRandom(i, 0xC0DE), Modality.MR)).ToList();
        Assert.Contains(mr, c => c.ImageType == NiftiDataType.Float32);
        Assert.Contains(mr, c => c.ImageType == NiftiDataType.UInt16 && c.SclSlope == 0.5);
        // Out-of-field padding values and fields of view vary across seeds too.
        var ps = Enumerable.Range(0, 100).Select(i => PhantomSampler.Draw(i, Modality.CT, SynthSize.Small)).ToList();
        Assert.Contains(ps, p => p.OutOfFieldValue == -1024);
        Assert.Contains(ps, p => p.OutOfFieldValue == -2048);
        Assert.Equal(3, ps.Select(p => p.FieldOfView).Distinct().Count());
        Assert.True(ps.Select(p => p.PatientScale).Distinct().Count() == 100);
    }

    [Fact]
    public void ParallelRunsWriteTheSameVolumesAsSerialRuns()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var ra = SynthRunner.Run(new SynthOptions { OutputDir = a.Root, Count = 3, Seed = 5, Parallelism = 1 });
        var rb = SynthRunner.Run(new SynthOptions { OutputDir = b.Root, Count = 3, Seed = 5, Parallelism = 3 });
        Assert.Equal(ra.Cases.Select(c => c.Id), rb.Cases.Select(c => c.Id));
        foreach (var (ca, cb) in ra.Cases.Zip(rb.Cases))
        {
            var va = NiftiReader.Read(ca.ImagePath).Volume;
            var vb = NiftiReader.Read(cb.ImagePath).Volume;
            Assert.Equal(va.Geometry, vb.Geometry);
            Assert.True(va.Data.AsSpan().SequenceEqual(vb.Data), ca.Id);
        }
        // NIfTI outputs are byte-identical files (gzip of identical bytes, no time stamps), whatever the parallelism.
        var files = Directory.GetFiles(a.Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a.Root, f)).Order().ToList();
        Assert.Equal(files, Directory.GetFiles(b.Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(b.Root, f)).Order());
        foreach (var f in files)
            Assert.True(File.ReadAllBytes(Path.Combine(a.Root, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b.Root, f))), f);
    }

    [Fact]
    public void LesionSitsInsideItsHostOrgan()
    {
        var p = PhantomSampler.Draw(12, Modality.CT, SynthSize.Small, FieldOfView.Abdomen) with
        {
            Lesion = new LesionParameters(PhantomLabels.Liver, new Vec3(0, 0, 0), 15, 25, 45),
            Contrast = true,
            EnhancementFactor = 1,
        };
        var ph = PhantomGenerator.Generate(p);
        var lesion = LabelStats.Count(ph.Labels, PhantomLabels.Lesion);
        // A 15 mm-radius ellipsoid (~14 cm³) on ~3.5x3.5x4 mm voxels: a few hundred voxels, all of them inside the liver.
        Assert.InRange(lesion, 100, 600);
        var n = ph.Labels.Shape;
        for (var z = 1; z < n.Z - 1; z++) for (var y = 1; y < n.Y - 1; y++) for (var x = 1; x < n.X - 1; x++)
        {
            if (ph.Labels[x, y, z] != PhantomLabels.Lesion) continue;
            foreach (var (dx, dy) in new[] { (1, 0), (-1, 0), (0, 1), (0, -1) })
                Assert.Contains(ph.Labels[x + dx, y + dy, z], new byte[] { PhantomLabels.Lesion, PhantomLabels.Liver });
        }
        // Hypodense in the venous phase: darker than the liver around it.
        var lesionHu = LabelStats.InteriorMean(ph.Image, ph.Labels, PhantomLabels.Lesion).Mean;
        var liverHu = LabelStats.InteriorMean(ph.Image, ph.Labels, PhantomLabels.Liver).Mean;
        Assert.True(lesionHu < liverHu - 30, $"lesion {lesionHu:F0} HU vs liver {liverHu:F0} HU");
    }
}
