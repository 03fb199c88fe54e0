using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Ingest.Preprocess;
using Streaming.Ingest.Read;
using Streaming.Imaging.Volumes;
using Streaming.Training.Config;
using Streaming.Training.Export;

namespace Streaming.Evaluation.Embedding;

/// <summary>
/// <c>embed</c>: read a volume → preprocess it as the model's input contract says (its spec: spacing, clipping, body
/// crop) → scale intensities as in training → per-voxel features (sliding windows of the training patch) → PCA →
/// write the preprocessed image and the components as NIfTI. A different spec is refused unless forced.
/// </summary>
public static class EmbedJob
{
    public static EmbedOutcome Run(EmbedRequest r, Action<string>? log = null)
    {
        r.Validate();
        var manifest = BackboneExport.ReadManifest(r.ModelDir);
        var spec = manifest.Input.ResolveSpec(r.SpecPath, r.ForceSpec, r.ModelDir);
        DeviceSpec.Parse(r.Device);
        log?.Invoke($"embed: {r.Input} with {manifest} ({r.ModelDir}), preprocessing {spec.Name} " +
                    FormattableString.Invariant($"({spec.Modality}, {spec.TargetSpacing.X}x{spec.TargetSpacing.Y}x{spec.TargetSpacing.Z} mm)"));
        var loaded = Directory.Exists(r.Input)
            ? DicomSeriesReader.Read(Directory.GetFiles(r.Input).Order(StringComparer.Ordinal).ToList())
            : NiftiReader.Read(r.Input);
        var pv = Preprocessor.Run(loaded, null, spec, new PreprocessOptions { SourceName = r.Input });
        var input = (float[])pv.Image.Data.Clone();
        manifest.Input.ScalingFor(spec.Modality).Apply(input);
        var window = r.Window ?? (manifest.Input.PatchShape.AllPositive ? EmbedOptions.ForPatch(manifest.Input.PatchShape) : new EmbedOptions());

        using var embedder = Embedder.FromDirectory(r.ModelDir, r.Device);
        var (maps, variance) = embedder.EmbedPca(input, pv.Image.Shape, r.Components, window);
        var outDir = Path.GetFullPath(r.OutputDir);
        Directory.CreateDirectory(outDir);
        var files = new List<string> { Path.Combine(outDir, "image.nii.gz") };
        NiftiWriter.Write(files[0], pv.Image, new NiftiWriteOptions { DataType = spec.Modality == Modality.CT ? NiftiDataType.Int16 : NiftiDataType.Float32 });
        var n = pv.Image.Shape.Volume;
        for (var k = 0; k < variance.Length; k++)
        {
            var file = Path.Combine(outDir, $"pc{k + 1}.nii.gz");
            NiftiWriter.Write(file, new Volume<float>(pv.Image.Geometry, maps.AsSpan((int)(k * n), (int)n).ToArray()),
                new NiftiWriteOptions { DataType = NiftiDataType.Float32, Description = $"PCA component {k + 1} of voxel features" });
            files.Add(file);
        }
        return new EmbedOutcome(outDir, files, pv.Image.Shape, pv.Image.Geometry.Spacing, spec.Name, variance);
    }
}
