using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Output;

/// <summary>
/// Writes, beside the good cases, one input for each fault ingest must survive, with the fault in its name, and
/// corrupt-manifest.json (at the output root) listing each faulty path (relative, '/'-separated) and its fault.
/// NIfTI layouts (FLARE, AMOS) get the NIfTI faults; NLST gets the DICOM faults, since each archive only holds its
/// own format. Faulty cases use small phantoms: the fault matters, not the size.
/// </summary>
public static class CorruptWriter
{
    public const string ManifestName = "corrupt-manifest.json";

    public const string TruncatedGzip = "truncated-gzip";
    public const string BadHeader = "bad-header";
    public const string ZeroSpacing = "zero-spacing";
    public const string NanSpacing = "nan-spacing";
    public const string MissingSlice = "missing-slice";
    public const string MixedSeries = "mixed-series";
    public const string StrayFile = "stray-file";

    public static IReadOnlyList<string> NiftiFaults { get; } = [TruncatedGzip, BadHeader, ZeroSpacing, NanSpacing];
    public static IReadOnlyList<string> DicomFaults { get; } = [MissingSlice, MixedSeries, StrayFile];

    public static (IReadOnlyList<SynthFault> Faults, string ManifestPath) Write(SynthOptions o, CancellationToken ct = default)
    {
        var faults = o.Layout == SynthLayout.Nlst ? WriteDicomFaults(o, ct) : WriteNiftiFaults(o, ct);
        var manifest = Path.Combine(o.OutputDir, ManifestName);
        // Utf8JsonWriter rather than reflection serialisation: works under trimming/AOT too.
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("layout", o.Layout.ToString().ToLowerInvariant());
            w.WriteStartArray("faults");
            foreach (var f in faults)
            {
                w.WriteStartObject();
                w.WriteString("path", f.Path);
                w.WriteString("fault", f.Fault);
                w.WriteString("description", f.Description);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var tmp = manifest + ".tmp";
        File.WriteAllBytes(tmp, ms.ToArray());
        File.Move(tmp, manifest, overwrite: true);
        return (faults, manifest);
    }

    private static List<SynthFault> WriteNiftiFaults(SynthOptions o, CancellationToken ct)
    {
        var phantom = PhantomGenerator.Generate(PhantomSampler.Draw(Plans.CaseSeed(o.Seed, -1), Modality.CT, SynthSize.Small, FieldOfView.Abdomen), ct);
        var list = new List<SynthFault>();
        foreach (var fault in NiftiFaults)
        {
            var (image, label) = NiftiPaths(o, fault);
            NiftiWriter.Write(label, phantom.Labels, new NiftiWriteOptions { DataType = NiftiDataType.UInt8 });
            var description = fault switch
            {
                TruncatedGzip => "gzip stream cut at 60% of its length (no trailer)",
                BadHeader => "sizeof_hdr = 0x12345678 and magic 'XYZ' instead of 348 and 'n+1'",
                ZeroSpacing => "qform-only header with pixdim[3] (slice spacing) = 0",
                _ => "qform-only header with pixdim[1] (column spacing) = NaN",
            };
            switch (fault)
            {
                case TruncatedGzip:
                    NiftiWriter.Write(image, phantom.Image, new NiftiWriteOptions());
                    var bytes = File.ReadAllBytes(image);
                    var cut = image + ".tmp";
                    File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length * 6 / 10).ToArray());
                    File.Move(cut, image, overwrite: true);
                    break;
                default:
                    var raw = RawNifti(phantom.Image);
                    if (fault == BadHeader)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(raw, 0x12345678);
                        "XYZ\0"u8.CopyTo(raw.AsSpan(344));
                    }
                    // NIfTI-1 little endian: pixdim[0..7] are float32 at offset 76.
                    else BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(76 + 4 * (fault == ZeroSpacing ? 3 : 1)), fault == ZeroSpacing ? 0f : float.NaN);
                    Gzip(image, raw);
                    break;
            }
            list.Add(new SynthFault(Relative(o, image), fault, description));
        }
        return list;
    }

    private static (string Image, string Label) NiftiPaths(SynthOptions o, string fault) => o.Layout switch
    {
        SynthLayout.Flare => (Path.Combine(o.OutputDir, "FLARE", "imagesTr", $"FLARE_Tr_corrupt-{fault}_0000.nii.gz"),
            Path.Combine(o.OutputDir, "FLARE", "labelsTr", $"FLARE_Tr_corrupt-{fault}.nii.gz")),
        _ => (Path.Combine(o.OutputDir, "AMOS", "imagesTr", $"amos_corrupt-{fault}.nii.gz"),
            Path.Combine(o.OutputDir, "AMOS", "labelsTr", $"amos_corrupt-{fault}.nii.gz")),
    };

    private static List<SynthFault> WriteDicomFaults(SynthOptions o, CancellationToken ct)
    {
        var seed = Plans.CaseSeed(o.Seed, -2);
        var p = PhantomSampler.Draw(seed, Modality.CT, SynthSize.Small, FieldOfView.Thorax) with { Contrast = false };
        var phantom = PhantomGenerator.Generate(p, ct);
        var list = new List<SynthFault>();
        var k = 0;
        foreach (var fault in DicomFaults)
        {
            var plan = new CasePlan(-1, $"corrupt-{fault}", "Tr", Modality.CT, (long)SynthRandom.Hash((ulong)seed, (ulong)k++), true);
            var r = new SynthRandom(plan.Seed, 1);
            var study = Path.Combine(o.OutputDir, "NLST", plan.Id, "01-01-2000-NLST-LSS-00000");
            var studyUid = DicomUids.From(plan.Seed, 1);
            var folder = NlstLayout.SeriesFolder(study, 2, "2mm-STANDARD", r);
            NlstLayout.WriteSeries(folder, phantom.Image, null, plan, 2, "STANDARD", studyUid, DicomTransferSyntax.ExplicitVrLittleEndian, -1024);
            switch (fault)
            {
                case MissingSlice:
                    var files = Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal).ToArray();
                    File.Delete(files[files.Length / 2]);
                    list.Add(new SynthFault(Relative(o, folder), fault, $"slice {files.Length / 2 + 1} of {files.Length} removed from the middle of the series"));
                    break;
                case MixedSeries:
                    // A second series (another SeriesInstanceUID) written into the same folder.
                    var (thick, _) = NlstLayout.Reconstruct(phantom.Image, phantom.Labels, 2);
                    NlstLayout.WriteSeries(folder, thick, null, plan, 3, "B45f", studyUid, DicomTransferSyntax.ExplicitVrLittleEndian, -1024, "IMB{0:D4}.dcm");
                    list.Add(new SynthFault(Relative(o, folder), fault, "two series (numbers 2 and 3) share one folder"));
                    break;
                default:
                    var stray = Path.Combine(folder, "stray-not-dicom.txt");
                    File.WriteAllText(stray, "operator notes: this is not a DICOM file\n");
                    list.Add(new SynthFault(Relative(o, stray), fault, "a text file among the slices of a valid series"));
                    break;
            }
        }
        return list;
    }

    /// <summary>An uncompressed single-file NIfTI-1 (little endian, qform only) in memory, for byte patching.</summary>
    private static byte[] RawNifti(Volume<float> image)
    {
        var tmp = Path.Combine(Path.GetTempPath(), $"synth-{Guid.NewGuid():N}.nii");
        try
        {
            NiftiWriter.Write(tmp, image, new NiftiWriteOptions { SformCode = 0, QformCode = 1 });
            return File.ReadAllBytes(tmp);
        }
        finally { File.Delete(tmp); }
    }

    private static void Gzip(string path, byte[] raw)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        using (var fs = File.Create(tmp))
        using (var gz = new GZipStream(fs, CompressionLevel.Fastest))
            gz.Write(raw);
        File.Move(tmp, path, overwrite: true);
    }

    private static string Relative(SynthOptions o, string path) => Path.GetRelativePath(o.OutputDir, path).Replace('\\', '/');
}
