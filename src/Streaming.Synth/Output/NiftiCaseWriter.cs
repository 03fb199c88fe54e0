using System.Diagnostics;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Output;

/// <summary>Generates one phantom and writes its image (and labels) as .nii.gz with the case's header convention.</summary>
internal static class NiftiCaseWriter
{
    public static SynthCase Write(CasePlan plan, SynthOptions o, string imagePath, string? labelPath, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var p = ContrastPhase.Apply(PhantomSampler.Draw(plan.Seed, plan.Modality, o.Size, o.FieldOfView, o.FixedFieldOfView), o.Contrast);
        var phantom = PhantomGenerator.Generate(p, ct);
        var convention = NiftiConvention.Draw(new SynthRandom(plan.Seed, 0xC0DE), plan.Modality);
        var image = convention.Apply(phantom.Image);
        ct.ThrowIfCancellationRequested();
        NiftiWriter.Write(imagePath, image, convention.ImageOptions(o.CompressionLevel, Describe(p)));
        if (labelPath is not null)
            NiftiWriter.Write(labelPath, convention.Apply(phantom.Labels), convention.LabelOptions(o.CompressionLevel));
        return new SynthCase(plan.Id, plan.Split, imagePath, labelPath, plan.Modality, image.Shape, image.Geometry.Spacing,
            sw.Elapsed.TotalSeconds, convention.ToString());
    }

    /// <summary>A short descrip: what the phantom is (≤ 79 characters).</summary>
    public static string Describe(PhantomParameters p)
    {
        var what = p.Modality == Modality.CT ? (p.Contrast ? "CT venous" : "CT plain") : $"MR {p.Sequence}";
        return $"streaming synth {what} {p.FieldOfView} seed {p.Seed}";
    }
}
