using System.CommandLine;
using System.Text.Json;
using Streaming.Cli.Output;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Ingest.Preprocess;
using Streaming.Ingest.Read;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Augment;
using Streaming.Sampling.FromCache;
using Streaming.Sampling.Pairs;
using Streaming.Training;
using Streaming.Training.Config;
using Streaming.Training.Export;
using Streaming.Training.Loop;

namespace Streaming.Cli.Commands;

/// <summary>`streaming pretrain` and `streaming embed`.</summary>
public static class TrainingCommands
{
    public static IEnumerable<Command> Create() => [Pretrain(), Embed()];

    private static Command Pretrain()
    {
        var config = new Argument<string>("config") { Description = "Pre-training config (pipelines/vox2vec-ct.yaml, hierarchical-ct.yaml, ...)" };
        var resume = new Option<bool>("--resume") { Description = "Continue exactly from the newest checkpoint in the run directory" };
        var steps = new Option<long?>("--steps") { Description = "Override the config's step count" };
        var device = new Option<string?>("--device") { Description = "Override the device: cpu, cuda, cuda:1" };
        var runDir = new Option<string?>("--run-dir") { Description = "Override the run directory" };
        var cache = new Option<string?>("--cache") { Description = "Override the shard cache root" };
        var json = CommonOptions.Json();
        var c = new Command("pretrain", "Self-supervised pre-training from the shard cache; checkpointed, SIGTERM-safe, exactly resumable") { config, resume, steps, device, runDir, cache, json };
        c.SetAction((r, ct) =>
        {
            PretrainConfig cfg;
            CacheVolumeSet set;
            try
            {
                cfg = PretrainConfigLoader.Load(r.GetValue(config)!);
                if (r.GetValue(steps) is { } s) cfg = cfg with { Steps = s };
                if (r.GetValue(device) is { } d) cfg = cfg with { Device = d };
                if (r.GetValue(runDir) is { } rd) cfg = cfg with { RunDir = rd };
                if (r.GetValue(cache) is { } cd) cfg = cfg with { CacheDir = cd };
                cfg.Validate();
                set = CacheVolumeSet.Open(cfg.CacheDir ?? "cache", cfg.CacheSpec ?? throw new ArgumentException("config has no cache.spec"));
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
            {
                Log.Error(e.Message);
                if (r.GetValue(json)) JsonSummary.Write(new { command = "pretrain", ok = false, error = e.Message });
                return Task.FromResult(1);
            }
            Log.Info($"pretrain: {cfg.Method.Method} on {set.Volumes.Count} volumes from {set.KeyDir}, {cfg.Steps} steps on {cfg.Device}, run dir {cfg.RunDir}");
            var ledger = SamplerLedgerFile.Load(cfg.RunDir, r.GetValue(resume));
            try
            {
                var summary = PretrainRunner.Run(cfg, start => CacheBatchStreams.Open(set, cfg.Sampling, cfg.Prefetch, start, ledger), r.GetValue(resume), ct);
                Log.Info($"pretrain: {summary.Status} at step {summary.EndStep}/{summary.TotalSteps}, loss {summary.LastLoss:F4}, {summary.StepsPerSecond:F2} steps/s, data wait {summary.DataWaitFraction:P1}, peak RSS {Log.Bytes(summary.PeakRssBytes)}; backbone {summary.BackboneFile ?? "(not yet: run incomplete)"}");
                if (r.GetValue(json)) JsonSummary.Write(new { command = "pretrain", ok = true, summary });
                return Task.FromResult(summary.Status == RunStatus.Completed ? 0 : 3);
            }
            catch (Exception e) when (e is TrainingDivergedException or InvalidDataException or IOException or InvalidOperationException)
            {
                Log.Error(e.Message);
                if (r.GetValue(json)) JsonSummary.Write(new { command = "pretrain", ok = false, error = e.Message });
                return Task.FromResult(1);
            }
        });
        return c;
    }

    private static Command Embed()
    {
        var run = new Option<string>("--run") { Description = "Run directory (or folder holding backbone.safetensors + backbone.json)", Required = true };
        var input = new Option<string>("--input") { Description = "A .nii/.nii.gz file or a DICOM series folder", Required = true };
        var spec = new Option<string>("--spec") { Description = "Preprocessing spec used for pre-training", DefaultValueFactory = _ => "pipelines/ct-1x1x2.yaml" };
        var output = new Option<string>("--out") { Description = "Output folder for image.nii.gz and pc1..pcN.nii.gz", Required = true };
        var components = new Option<int>("--pca") { Description = "Principal components of the voxel features to write", DefaultValueFactory = _ => 3 };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cpu" };
        var json = CommonOptions.Json();
        var c = new Command("embed", "Per-voxel feature maps of a volume (PCA to N channels) as NIfTI, for ITK-SNAP / 3D Slicer") { run, input, spec, output, components, device, json };
        c.SetAction(r =>
        {
            var inPath = r.GetValue(input)!;
            var outDir = Path.GetFullPath(r.GetValue(output)!);
            try
            {
                var s = SpecLoader.Load(r.GetValue(spec)!);
                var loaded = Directory.Exists(inPath)
                    ? DicomSeriesReader.Read(Directory.GetFiles(inPath).Order().ToList())
                    : NiftiReader.Read(inPath);
                var pv = Preprocessor.Run(loaded, null, s, new PreprocessOptions { SourceName = inPath });
                var input01 = ModelInput(pv.Image, s.Modality);
                using var embedder = Embedder.FromDirectory(r.GetValue(run)!, r.GetValue(device)!);
                var (maps, variance) = embedder.EmbedPca(input01, pv.Image.Shape, r.GetValue(components));
                Directory.CreateDirectory(outDir);
                NiftiWriter.Write(Path.Combine(outDir, "image.nii.gz"), pv.Image, new NiftiWriteOptions { DataType = s.Modality == Modality.CT ? NiftiDataType.Int16 : NiftiDataType.Float32 });
                var n = pv.Image.Shape.Volume;
                for (var k = 0; k < variance.Length; k++)
                    NiftiWriter.Write(Path.Combine(outDir, $"pc{k + 1}.nii.gz"), new Volume<float>(pv.Image.Geometry, maps.AsSpan((int)(k * n), (int)n).ToArray()),
                        new NiftiWriteOptions { DataType = NiftiDataType.Float32, Description = $"PCA component {k + 1} of voxel features" });
                Log.Info($"embed: {pv.Image.Shape} voxels, {variance.Length} components (explained variance {string.Join(", ", variance.Select(v => v.ToString("G3")))}) → {outDir}");
                if (r.GetValue(json)) JsonSummary.Write(new { command = "embed", ok = true, output = outDir, shape = pv.Image.Shape.ToString(), explainedVariance = variance });
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                Log.Error(e.Message);
                if (r.GetValue(json)) JsonSummary.Write(new { command = "embed", ok = false, error = e.Message });
                return 1;
            }
        });
        return c;
    }

    /// <summary>The intensity scaling the sampler's fixed window applies in training (CT: [-1350, 1000] HU → [0, 1]).</summary>
    private static float[] ModelInput(Volume<float> image, Modality m)
    {
        var data = (float[])image.Data.Clone();
        if (m == Modality.CT) IntensityWindow.Apply(data, new IntensityWindowParameters(-1350, 1000));
        return data;
    }
}

/// <summary>
/// The sampler's skip ledger (volumes found corrupt and from which step they are excluded) kept beside the
/// checkpoints, so a resumed run draws exactly the batches the original run drew.
/// </summary>
internal static class SamplerLedgerFile
{
    public static SkipLedger Load(string runDir, bool resume)
    {
        var path = Path.Combine(runDir, "sampler-skips.json");
        var entries = resume && File.Exists(path) ? JsonSerializer.Deserialize<List<SkippedVolume>>(File.ReadAllText(path)) ?? [] : [];
        var ledger = new SkipLedger(entries);
        ledger.Skipped += e =>
        {
            Log.Error($"sampler: volume {e.VolumeId} skipped from step {e.Step} on: {e.Reason}");
            Directory.CreateDirectory(runDir);
            var tmp = path + ".tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(ledger.Snapshot()));
            File.Move(tmp, path, overwrite: true);
        };
        return ledger;
    }
}
