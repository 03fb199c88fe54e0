using System.Globalization;
using Streaming.Evaluation.Inference;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Shards.Cache;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Training.Config;
using Streaming.Training.Export;
using static TorchSharp.torch;

namespace Streaming.Evaluation;

/// <summary>
/// <c>embed</c>: for each case (a file, a DICOM folder, or a cached volume) → preprocess it as the model's input
/// contract says (its spec: spacing, clipping, body crop; cached volumes already are) → scale intensities as in
/// training → per-voxel features (sliding windows of the training patch) → PCA maps and/or raw features, on the model's
/// grid or resampled back onto the source image's grid (trilinear; outside the body crop 0), as NIfTI/safetensors.
/// A different spec is refused unless forced. Reading and preprocessing a raw scan is Ingest's
/// (<c>FilePreprocessor.ReadAndRun</c>), handed in by the caller as <c>preprocess</c>: Evaluation references only
/// Training (docs/architecture.md); cached volumes are read here through the read-only <see cref="CacheReader"/>.
/// </summary>
public static class EmbedJob
{
    /// <param name="preprocess">(input path, spec) → the scan preprocessed on its canonical grid in spec units (CT in HU), with the source image it came from.</param>
    public static EmbedOutcome Run(EmbedRequest r, Func<string, PreprocessSpec, EmbedScan> preprocess, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(preprocess);
        r.Validate();
        var manifest = BackboneExport.ReadManifest(r.ModelDir);
        var spec = manifest.Input.ResolveSpec(r.SpecPath, r.ForceSpec, r.ModelDir);
        DeviceSpec.Parse(r.Device);
        if (r.Threads > 0) set_num_threads(r.Threads);
        var cases = r.CacheRoot is { } root ? Cached(root, spec, r) : r.Inputs.Select(FromFile).ToList();
        if (cases.Count == 0) throw new ArgumentException($"embed: no volumes to embed{(r.CacheRoot is null ? "" : $" in the cache at {r.CacheRoot} (dataset {r.Dataset ?? "any"})")}");
        log?.Invoke($"embed: {cases.Count} case(s) with {manifest} ({r.ModelDir}), preprocessing {spec.Name} " +
                    FormattableString.Invariant($"({spec.Modality}, {spec.TargetSpacing.X}x{spec.TargetSpacing.Y}x{spec.TargetSpacing.Z} mm), ") +
                    $"{(r.Grid == EmbedGrid.Source ? "written on the source grid" : "written on the model's grid")}");
        var window = r.Window ?? (manifest.Input.PatchShape.AllPositive ? EmbedOptions.ForPatch(manifest.Input.PatchShape) : new EmbedOptions());
        var outDir = Path.GetFullPath(r.OutputDir);
        var names = UniqueNames(cases.Select(c => c.Name).ToList());
        using var embedder = Embedder.FromDirectory(r.ModelDir, r.Device);
        var done = new List<EmbeddedCase>();
        for (var i = 0; i < cases.Count; i++)
        {
            var dir = cases.Count == 1 ? outDir : Path.Combine(outDir, names[i]);
            var c = cases[i].Load();
            done.Add(Embed(embedder, c, names[i], dir, r, manifest.Input.ScalingFor(spec.Modality), window, spec.Modality));
            log?.Invoke($"embed: {names[i]} → {dir}");
        }
        return new EmbedOutcome(outDir, spec.Name, done);

        PendingCase FromFile(string input) => new(CaseName(input), () =>
        {
            var scan = preprocess(input, spec);
            return new CaseImage(scan.Image, scan.Source.Geometry, scan.Source);
        });
    }

    private static EmbeddedCase Embed(Embedder embedder, CaseImage c, string name, string dir, EmbedRequest r, Sampling.InputScaling scaling,
        EmbedOptions window, Modality modality)
    {
        var image = c.Image;
        var input = (float[])image.Data.Clone();
        scaling.Apply(input);
        var target = r.Grid == EmbedGrid.Source ? c.SourceGrid : image.Geometry;
        Directory.CreateDirectory(dir);
        var files = new List<string>();

        var imageFile = Path.Combine(dir, "image.nii.gz");
        var imageOptions = new NiftiWriteOptions { DataType = modality == Modality.CT ? NiftiDataType.Int16 : NiftiDataType.Float32 };
        if (r.Grid == EmbedGrid.Model) { NiftiWriter.Write(imageFile, image, imageOptions); files.Add(imageFile); }
        else if (c.Source is { } source) { NiftiWriter.Write(imageFile, source, new NiftiWriteOptions { DataType = NiftiDataType.Float32 }); files.Add(imageFile); }

        double[] variance = [];
        if (r.Components > 0)
        {
            var (maps, v) = embedder.EmbedPca(input, image.Shape, Math.Min(r.Components, embedder.Channels), window);
            variance = v;
            var onTarget = r.Grid == EmbedGrid.Source ? FeatureGridResampler.Linear(maps, v.Length, image.Geometry, target) : maps;
            var n = target.Shape.Volume;
            for (var k = 0; k < v.Length; k++)
            {
                var file = Path.Combine(dir, $"pc{k + 1}.nii.gz");
                NiftiWriter.Write(file, new Volume<float>(target, onTarget.AsSpan((int)(k * n), (int)n).ToArray()),
                    new NiftiWriteOptions { DataType = NiftiDataType.Float32, Description = $"PCA component {k + 1} of voxel features" });
                files.Add(file);
            }
        }
        if (r.Features != FeatureFormat.None)
        {
            var raw = embedder.Embed(input, image.Shape, window);
            var onTarget = r.Grid == EmbedGrid.Source ? FeatureGridResampler.Linear(raw, embedder.Channels, image.Geometry, target) : raw;
            files.Add(r.Features == FeatureFormat.Nifti
                ? WriteNifti(Path.Combine(dir, "features.nii.gz"), onTarget, embedder.Channels, target)
                : WriteSafetensors(Path.Combine(dir, "features.safetensors"), onTarget, embedder.Channels, target, r.Grid));
        }
        return new EmbeddedCase(name, dir, files, target.Shape, target.Spacing, r.Grid, variance);
    }

    private static string WriteNifti(string path, float[] maps, int channels, VolumeGeometry g)
    {
        NiftiWriter.WriteChannels(path, g, maps, channels, new NiftiWriteOptions { DataType = NiftiDataType.Float32, Description = $"{channels} voxel feature channels" });
        return path;
    }

    private static string WriteSafetensors(string path, float[] maps, int channels, VolumeGeometry g, EmbedGrid grid)
    {
        using var t = tensor(maps, [channels, g.Shape.Z, g.Shape.Y, g.Shape.X]);
        Safetensors.Write(path, [("features", t)], new Dictionary<string, string>
        {
            ["layout"] = "C,Z,Y,X (x fastest); voxel (x, y, z) of channel c is features[c, z, y, x]",
            ["grid"] = grid == EmbedGrid.Source ? "source" : "model",
            ["shape_xyz"] = $"[{g.Shape.X}, {g.Shape.Y}, {g.Shape.Z}]",
            ["affine_ras"] = RasAffineJson(g),
        });
        return path;
    }

    /// <summary>The voxel-to-world matrix as NIfTI and nibabel write it (RAS+ mm), row-major 4x4, as JSON.</summary>
    public static string RasAffineJson(VolumeGeometry g)
    {
        var rows = new double[4][];
        for (var r = 0; r < 3; r++)
        {
            var flip = r < 2 ? -1.0 : 1.0; // LPS (ours, DICOM's) → RAS (NIfTI's)
            rows[r] = [flip * g.Direction[r, 0] * g.Spacing.X, flip * g.Direction[r, 1] * g.Spacing.Y, flip * g.Direction[r, 2] * g.Spacing.Z,
                flip * (r == 0 ? g.Origin.X : r == 1 ? g.Origin.Y : g.Origin.Z)];
        }
        rows[3] = [0, 0, 0, 1];
        return "[" + string.Join(", ", rows.Select(row => "[" + string.Join(", ", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";
    }

    private static List<PendingCase> Cached(string root, PreprocessSpec spec, EmbedRequest r)
    {
        var store = CacheReader.Open(root, spec); // read-only; a missing cache is one error naming the key folder
        var ids = r.VolumeIds.ToHashSet(StringComparer.Ordinal);
        var records = store.Volumes().Where(v => (r.Dataset is null || v.Dataset == r.Dataset) && (ids.Count == 0 || ids.Contains(v.Id)))
            .OrderBy(v => v.Id, StringComparer.Ordinal).ToList();
        var missing = ids.Except(records.Select(v => v.Id)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"embed: not in the cache at {store.Layout.KeyDir}: {string.Join(", ", missing)}");
        return records.Select(rec => new PendingCase(PredictionWriter.FileName(rec.Id).Replace(".nii.gz", "", StringComparison.Ordinal), () =>
        {
            using var shard = ShardVolume.Open(store.ShardPath(rec.SourceFingerprint));
            var all = shard.ReadAll();
            var source = (rec.OriginalGeometry ?? throw new InvalidDataException($"{rec.Id}: volume record has no original geometry")).ToGeometry();
            return new CaseImage(all.Image, source, null);
        })).ToList();
    }

    private static string CaseName(string input)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(input));
        foreach (var ext in new[] { ".nii.gz", ".nii" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) return name[..^ext.Length];
        return name;
    }

    private static List<string> UniqueNames(List<string> names)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var unique = new List<string>();
        foreach (var n in names)
        {
            seen[n] = seen.GetValueOrDefault(n) + 1;
            unique.Add(seen[n] == 1 ? n : $"{n}-{seen[n]}");
        }
        return unique;
    }

    private sealed record PendingCase(string Name, Func<CaseImage> Load);

    /// <summary>The model-grid image, the source grid, and the source image when there is one (file inputs).</summary>
    private sealed record CaseImage(Volume<float> Image, VolumeGeometry SourceGrid, Volume<float>? Source);
}
