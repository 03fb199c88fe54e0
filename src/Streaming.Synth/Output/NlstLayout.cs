using System.Diagnostics;
using System.Globalization;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Output;

/// <summary>
/// NLST (TCIA style): NLST/&lt;patientId&gt;/&lt;study&gt;/&lt;series&gt;/IM0001.dcm... One study per patient with the
/// main axial low-dose CT, sometimes a thicker reconstruction (fewer slices) and sometimes a localizer-like series
/// (under 32 slices). Labels of a series lie beside it as &lt;series&gt;.labels.nii.gz on its grid. Transfer syntaxes
/// rotate across patients (explicit little endian first, then compressed ones).
/// </summary>
internal sealed class NlstLayout : ILayoutWriter
{
    internal static readonly DicomTransferSyntax[] Syntaxes =
    [
        DicomTransferSyntax.ExplicitVrLittleEndian, DicomTransferSyntax.JpegLsLossless, DicomTransferSyntax.RleLossless,
        DicomTransferSyntax.ImplicitVrLittleEndian, DicomTransferSyntax.JpegLosslessSv1, DicomTransferSyntax.Jpeg2000Lossless,
        DicomTransferSyntax.ExplicitVrBigEndian,
    ];

    public string DatasetFolder => "NLST";

    public IReadOnlyList<CasePlan> Plan(SynthOptions o)
    {
        var list = new List<CasePlan>(o.Count);
        for (var i = 0; i < o.Count; i++)
            list.Add(new CasePlan(i, (100001 + i).ToString(CultureInfo.InvariantCulture), "Tr", Modality.CT, Plans.CaseSeed(o.Seed, i), true));
        return list;
    }

    public SynthCase Write(CasePlan plan, SynthOptions o, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var r = new SynthRandom(plan.Seed, 0x415);
        // A fixed field of view is one range for every patient: the thorax unless another is asked for.
        var fov = o.FieldOfView ?? (o.FixedFieldOfView ? FieldOfView.Thorax : r.Chance(0.7) ? FieldOfView.Thorax : FieldOfView.ThoraxAbdomen);
        // Lung screening: low dose, no contrast.
        var p = PhantomSampler.Draw(plan.Seed, Modality.CT, o.Size, fov, o.FixedFieldOfView) with { Contrast = false, NoiseSdHu = r.Uniform(18, 35) };
        var phantom = PhantomGenerator.Generate(p, ct);
        var syntax = Syntaxes[plan.Index % Syntaxes.Length];
        var intercept = r.Chance(0.8) ? -1024.0 : 0.0;

        var studyUid = DicomUids.From(plan.Seed, 1);
        var study = Path.Combine(o.OutputDir, DatasetFolder, plan.Id,
            string.Create(CultureInfo.InvariantCulture, $"01-{r.Int(1, 12):D2}-{r.Int(1999, 2002)}-NLST-LSS-{r.Int(10000, 99999)}"));
        var main = SeriesFolder(study, 2, $"{p.Spacing.Z:0.###}mm-STANDARD", r);
        WriteSeries(main, phantom.Image, phantom.Labels, plan, 2, $"{p.Spacing.Z:0.###}mm STANDARD", studyUid, syntax, intercept);

        if (r.Chance(0.6))
        {
            // A thicker reconstruction of the same acquisition: slice groups averaged, labels from the middle slice.
            var factor = Math.Max(2, phantom.Image.Shape.Z / 64);
            var (thick, thickLabels) = Reconstruct(phantom.Image, phantom.Labels, factor);
            var desc = $"{thick.Geometry.Spacing.Z:0.###}mm-B45f";
            WriteSeries(SeriesFolder(study, 3, desc, r), thick, thickLabels, plan, 3, desc.Replace('-', ' '), studyUid, syntax, intercept);
        }
        if (r.Chance(0.4))
        {
            // Localizer-like: a handful of widely spaced slices, no labels; ingest must not pick it.
            var count = r.Int(3, 9);
            var (loc, _) = Pick(phantom.Image, phantom.Labels, count);
            WriteSeries(SeriesFolder(study, 1, "LOCALIZER", r), loc, null, plan, 1, "LOCALIZER", studyUid, syntax, intercept);
        }
        ct.ThrowIfCancellationRequested();
        return new SynthCase(plan.Id, plan.Split, main, main + ".labels.nii.gz", Modality.CT, phantom.Image.Shape,
            phantom.Image.Geometry.Spacing, sw.Elapsed.TotalSeconds, $"dicom {syntax} intercept={intercept}");
    }

    internal static string SeriesFolder(string study, int number, string desc, SynthRandom r) =>
        Path.Combine(study, string.Create(CultureInfo.InvariantCulture, $"{number}.000000-{desc}-{r.Int(10000, 99999)}"));

    internal static void WriteSeries(string folder, Volume<float> image, Volume<byte>? labels, CasePlan plan, int number,
        string description, string studyUid, DicomTransferSyntax syntax, double intercept, string pattern = "IM{0:D4}.dcm")
    {
        DicomSeriesWriter.Write(folder, image, new DicomSeriesWriteOptions
        {
            PatientId = plan.Id,
            StudyInstanceUid = studyUid,
            SeriesInstanceUid = DicomUids.From(plan.Seed, 2, (ulong)number),
            Modality = Modality.CT,
            TransferSyntax = syntax,
            RescaleIntercept = intercept,
            RescaleSlope = 1,
            SeriesDescription = description,
            SeriesNumber = number,
            FileNamePattern = pattern,
        });
        if (labels is not null)
            NiftiWriter.Write(folder + ".labels.nii.gz", labels, new NiftiWriteOptions { DataType = NiftiDataType.UInt8, Description = "streaming synth labels" });
    }

    /// <summary>Averages groups of <paramref name="factor"/> slices (a thicker reconstruction).</summary>
    internal static (Volume<float>, Volume<byte>) Reconstruct(Volume<float> image, Volume<byte> labels, int factor)
    {
        var g = image.Geometry; var n = g.Shape;
        var nz = n.Z / factor;
        var nxy = n.X * n.Y;
        var data = new float[(long)nxy * nz];
        var lab = new byte[(long)nxy * nz];
        for (var k = 0; k < nz; k++)
        {
            var dst = data.AsSpan(k * nxy, nxy);
            for (var f = 0; f < factor; f++)
            {
                var src = image.Data.AsSpan((k * factor + f) * nxy, nxy);
                for (var i = 0; i < nxy; i++) dst[i] += src[i];
            }
            for (var i = 0; i < nxy; i++) dst[i] = MathF.Round(dst[i] / factor);
            labels.Data.AsSpan((k * factor + factor / 2) * nxy, nxy).CopyTo(lab.AsSpan(k * nxy, nxy));
        }
        var geometry = g with
        {
            Shape = new Int3(n.X, n.Y, nz),
            Spacing = g.Spacing with { Z = g.Spacing.Z * factor },
            Origin = g.IndexToPhysical(0, 0, (factor - 1) / 2.0),
        };
        return (new Volume<float>(geometry, data), new Volume<byte>(geometry, lab));
    }

    /// <summary>Every k-th slice, <paramref name="count"/> of them, evenly spread.</summary>
    internal static (Volume<float>, Volume<byte>) Pick(Volume<float> image, Volume<byte> labels, int count)
    {
        var g = image.Geometry; var n = g.Shape;
        count = Math.Min(count, n.Z);
        var step = Math.Max(1, n.Z / count);
        var nxy = n.X * n.Y;
        var data = new float[(long)nxy * count];
        var lab = new byte[(long)nxy * count];
        for (var k = 0; k < count; k++)
        {
            image.Data.AsSpan(k * step * nxy, nxy).CopyTo(data.AsSpan(k * nxy, nxy));
            labels.Data.AsSpan(k * step * nxy, nxy).CopyTo(lab.AsSpan(k * nxy, nxy));
        }
        var geometry = g with { Shape = new Int3(n.X, n.Y, count), Spacing = g.Spacing with { Z = g.Spacing.Z * step } };
        return (new Volume<float>(geometry, data), new Volume<byte>(geometry, lab));
    }
}
