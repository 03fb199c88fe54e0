using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Shards.Specs;
using Streaming.Training.Config;
using Streaming.Training.Export;

namespace Streaming.Evaluation;

/// <summary>
/// <c>embed</c>: read a volume → preprocess it as the model's input contract says (its spec: spacing, clipping, body
/// crop) → scale intensities as in training → per-voxel features (sliding windows of the training patch) → PCA →
/// write the preprocessed image and the components as NIfTI. A different spec is refused unless forced.
/// Reading and preprocessing the raw scan is Ingest's (<c>FilePreprocessor.Run</c>), handed in by the caller as
/// <c>preprocess</c>: Evaluation references only Training (docs/architecture.md), and Ingest stays the CLI's.
/// </summary>
public static class EmbedJob
{
    /// <param name="preprocess">(input path, spec) → the preprocessed image on its canonical grid, in spec units (CT in HU).</param>
    public static EmbedOutcome Run(EmbedRequest r, Func<string, PreprocessSpec, Volume<float>> preprocess, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(preprocess);
        r.Validate();
        var manifest = BackboneExport.ReadManifest(r.ModelDir);
        var spec = manifest.Input.ResolveSpec(r.SpecPath, r.ForceSpec, r.ModelDir);
        DeviceSpec.Parse(r.Device);
        log?.Invoke($"embed: {r.Input} with {manifest} ({r.ModelDir}), preprocessing {spec.Name} " +
                    FormattableString.Invariant($"({spec.Modality}, {spec.TargetSpacing.X}x{spec.TargetSpacing.Y}x{spec.TargetSpacing.Z} mm)"));
        var image = preprocess(r.Input, spec);
        var input = (float[])image.Data.Clone();
        manifest.Input.ScalingFor(spec.Modality).Apply(input);
        var window = r.Window ?? (manifest.Input.PatchShape.AllPositive ? EmbedOptions.ForPatch(manifest.Input.PatchShape) : new EmbedOptions());

        using var embedder = Embedder.FromDirectory(r.ModelDir, r.Device);
        var (maps, variance) = embedder.EmbedPca(input, image.Shape, r.Components, window);
        var outDir = Path.GetFullPath(r.OutputDir);
        Directory.CreateDirectory(outDir);
        var files = new List<string> { Path.Combine(outDir, "image.nii.gz") };
        NiftiWriter.Write(files[0], image, new NiftiWriteOptions { DataType = spec.Modality == Modality.CT ? NiftiDataType.Int16 : NiftiDataType.Float32 });
        var n = image.Shape.Volume;
        for (var k = 0; k < variance.Length; k++)
        {
            var file = Path.Combine(outDir, $"pc{k + 1}.nii.gz");
            NiftiWriter.Write(file, new Volume<float>(image.Geometry, maps.AsSpan((int)(k * n), (int)n).ToArray()),
                new NiftiWriteOptions { DataType = NiftiDataType.Float32, Description = $"PCA component {k + 1} of voxel features" });
            files.Add(file);
        }
        return new EmbedOutcome(outDir, files, image.Shape, image.Geometry.Spacing, spec.Name, variance);
    }
}
