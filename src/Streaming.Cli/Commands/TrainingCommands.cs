using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Evaluation;
using Streaming.Ingest.Preprocess;
using Streaming.Training;
using Streaming.Training.Config;
using Streaming.Training.Export;
using Streaming.Training.Loop;

namespace Streaming.Cli.Commands;

/// <summary>`streaming pretrain`, `streaming export` and `streaming embed`.</summary>
public static class TrainingCommands
{
    public static IEnumerable<Command> Create() => [Pretrain(), Export(), Embed()];

    private static Command Pretrain()
    {
        var config = new Argument<string>("config") { Description = "Pre-training config (pipelines/vox2vec-ct.yaml, hierarchical-ct.yaml, ...); its paths are relative to its own folder" };
        var resume = new Option<bool>("--resume") { Description = "Continue exactly from the newest checkpoint in the run folder" };
        var steps = new Option<long?>("--steps") { Description = "Override the config's step count (may change on resume)" };
        var device = new Option<string?>("--device") { Description = "Override the device: cpu, cuda or cuda:N" };
        var run = new Renamed<string?>(new Option<string?>("--run") { Description = "Run folder (overrides the config's runDir)" }, "--run-dir");
        var cache = new Option<string?>("--cache") { Description = $"Shard cache root (default: ${CommonOptions.CacheVariable}, else the config's cache.dir)" };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads (overrides the config's threads; 0 = libtorch's default)" };
        var forceMemory = new Option<bool>("--force-memory") { Description = "Start even though the config's estimated peak memory exceeds the machine's (cgroup) limit" };
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var c = new Command("pretrain", CommonOptions.WithExamples(
            "Self-supervised pre-training from the shard cache; checkpointed, SIGTERM-safe, exactly resumable. Progress goes to stderr: " +
            "a rewritten line on a terminal, a plain line every progressSeconds (default 10) under Slurm/nohup/2>log",
            "streaming pretrain pipelines/vox2vec-ct.yaml --run runs/v2v --set steps=20000 --set sampling.volumesPerBatch=4",
            "streaming pretrain pipelines/vox2vec-ct.yaml --run runs/v2v --resume"))
            { config, resume, steps, device, cache, threads, forceMemory, set, json };
        run.AddTo(c);
        c.SetAction((r, ct) =>
        {
            try
            {
                var cfg = PretrainConfigLoader.Load(r.GetValue(config)!, r.GetValue(set));
                if (r.GetValue(steps) is { } s) cfg = cfg with { Steps = s };
                if (r.GetValue(device) is { } d) cfg = cfg with { Device = d };
                if (run.Get(r) is { } rd) cfg = cfg with { RunDir = rd };
                if (r.GetValue(threads) is { } th) cfg = cfg with { Threads = th };
                // The cache root is where this machine keeps its cache: --cache, else $STREAMING_CACHE, else the config's.
                var (root, from) = r.GetValue(cache) is { } cd ? (cd, "--cache")
                    : CommonOptions.CacheFromEnvironment() is { } env ? (env, "$" + CommonOptions.CacheVariable) : (cfg.CacheDir, "config");
                cfg = cfg with { CacheDir = root };
                Log.Info($"pretrain: {cfg.Steps} steps on {cfg.Device}, run folder {cfg.RunDir}, cache {cfg.CacheDir} (from {from})");
                var wantJson = r.GetValue(json);
                var summary = PretrainRunner.Run(cfg, r.GetValue(resume), ct, log: Log.Info, abandoned: a =>
                {
                    if (wantJson) JsonSummary.Write(new { command = "pretrain", ok = true, interrupted = a.Signal, abandoned = true, lastCheckpoint = a.LastCheckpoint, checkpointStep = a.CheckpointStep });
                }, forceMemory: r.GetValue(forceMemory));
                Log.Info($"pretrain: {summary.Status} at step {summary.EndStep}/{summary.TotalSteps}, loss {summary.LastLoss:F4}, {summary.StepsPerSecond:F2} steps/s, data wait {summary.DataWaitFraction:P1}, peak RSS {Log.Bytes(summary.PeakRssBytes)}; backbone {summary.BackboneFile ?? "(not yet: run incomplete; streaming export --run writes one from the last checkpoint)"}");
                if (r.GetValue(json)) JsonSummary.Write(new { command = "pretrain", ok = true, summary });
                return Task.FromResult(summary.Status == RunStatus.Completed ? 0 : 3);
            }
            catch (Exception e) when (e is ArgumentException or TrainingDivergedException or InvalidDataException or IOException or InvalidOperationException)
            {
                Log.Error(e.Message);
                if (r.GetValue(json)) JsonSummary.Write(new { command = "pretrain", ok = false, error = e.Message });
                return Task.FromResult(1);
            }
        });
        return c;
    }

    private static Command Export()
    {
        var run = new Option<string>("--run") { Description = "Run folder (its newest intact checkpoint) or one checkpoint file (run/checkpoints/step-*.ckpt)", Required = true };
        var output = new Option<string?>("--out") { Description = "Output folder (default: the run folder, where a completed run writes its backbone)" };
        var pt = new Option<bool>("--pt") { Description = "Also write backbone.pt: the same state_dict as a PyTorch pickle for torch.load (TorchSharp.PyBridge)" };
        var json = CommonOptions.Json();
        var c = new Command("export", CommonOptions.WithExamples(
            "Write backbone.safetensors + backbone.json from any checkpoint, also of an interrupted or running run",
            "streaming export --run runs/v2v --out models/v2v-step12000 --pt"))
            { run, output, pt, json };
        c.SetAction(r =>
        {
            try
            {
                var o = CheckpointExport.Run(r.GetValue(run)!, r.GetValue(output), Log.Info, r.GetValue(pt));
                Log.Info($"export: {o.Method} at step {o.Step}/{o.TotalSteps} ({o.RepresentationDim} dims, spec {o.SpecName ?? "none"}) from {o.Checkpoint} → {o.OutputDir}");
                if (r.GetValue(json)) JsonSummary.Write(new { command = "export", ok = true, output = o.OutputDir, checkpoint = o.Checkpoint, method = o.Method, step = o.Step, totalSteps = o.TotalSteps, representationDim = o.RepresentationDim, spec = o.SpecName });
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                Log.Error(e.Message);
                if (r.GetValue(json)) JsonSummary.Write(new { command = "export", ok = false, error = e.Message });
                return 1;
            }
        });
        return c;
    }

    private static Command Embed()
    {
        var run = new Option<string>("--run") { Description = "Run folder (or any folder) holding backbone.safetensors + backbone.json", Required = true };
        var input = new Option<string[]>("--input") { Description = "A .nii/.nii.gz file or a DICOM series folder (repeatable: one output subfolder per input)", Arity = ArgumentArity.OneOrMore };
        var fromCache = new Option<bool>("--from-cache") { Description = "Embed cached volumes (the cache of the model's spec under --cache) instead of --input" };
        var cache = CommonOptions.Cache();
        var dataset = new Option<string?>("--dataset") { Description = "With --from-cache: only this dataset" };
        var volume = new Option<string[]>("--volume") { Description = "With --from-cache: only this volume id (repeatable)", Arity = ArgumentArity.OneOrMore };
        var spec = new Option<string?>("--spec") { Description = "Preprocess with this spec instead of the model's (backbone.json); refused if it differs, unless --force-spec" };
        var force = new Option<bool>("--force-spec") { Description = "Use --spec even though the model was trained on another preprocessing" };
        var output = new Option<string>("--out") { Description = "Output folder: image.nii.gz, pc1..pcN.nii.gz, features.*", Required = true };
        var components = new Option<int>("--pca") { Description = "Principal components of the voxel features to write (0 = none)", DefaultValueFactory = _ => 3 };
        var features = Choice.Of("--features", "Also write the raw voxel features: safetensors ((C, Z, Y, X) float32 + affine) or nifti (4-D, X x Y x Z x C); C x voxels x 4 bytes", FeatureFormat.None);
        var grid = Choice.Of("--grid", "model: the preprocessed grid the network saw; source: resampled back onto the input image's grid (same affine and shape as the file, for nibabel)", EmbedGrid.Model);
        var window = new Option<string?>("--window") { Description = "Sliding window X,Y,Z voxels, overlapping by a quarter (default: the model's training patch); larger windows are faster, e.g. 128,128,64" };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var c = new Command("embed", CommonOptions.WithExamples(
            "Per-voxel features of volumes, preprocessed as the model was trained: PCA maps (NIfTI, for ITK-SNAP / 3D Slicer) and/or raw features",
            "streaming embed --run runs/v2v --input ct.nii.gz --out features/ --grid source --features nifti",
            "streaming embed --run runs/v2v --from-cache --dataset FLARE --out features/ --pca 3"))
            { run, input, fromCache, cache, dataset, volume, spec, force, output, components, features, grid, window, device, threads, json };
        c.SetAction(r =>
        {
            try
            {
                var outcome = EmbedJob.Run(new EmbedRequest
                {
                    ModelDir = r.GetValue(run)!, Inputs = r.GetValue(input) ?? [], OutputDir = r.GetValue(output)!, SpecPath = r.GetValue(spec),
                    CacheRoot = r.GetValue(fromCache) ? r.GetValue(cache) : null, Dataset = r.GetValue(dataset), VolumeIds = r.GetValue(volume) ?? [],
                    ForceSpec = r.GetValue(force), Components = r.GetValue(components), Features = r.GetValue(features) ?? FeatureFormat.None,
                    Grid = r.GetValue(grid) ?? EmbedGrid.Model, Device = r.GetValue(device)!, Threads = r.GetValue(threads),
                    Window = r.GetValue(window) is { } w ? EmbedOptions.ForPatch(ParseShape(w, "--window")) : null,
                }, Scan, Log.Info);
                foreach (var k in outcome.Cases)
                    Log.Info($"embed: {k.Name}: {k.Shape} voxels at {k.Spacing} mm ({Choice.Text(k.Grid)} grid), " +
                             (k.ExplainedVariance.Length == 0 ? "no PCA" : $"{k.ExplainedVariance.Length} components (explained variance {string.Join(", ", k.ExplainedVariance.Select(v => v.ToString("G3")))})") +
                             $" → {k.OutputDir}");
                if (r.GetValue(json))
                {
                    var one = outcome.Cases.Count == 1 ? outcome.Cases[0] : null;
                    JsonSummary.Write(new
                    {
                        command = "embed", ok = true, output = outcome.OutputDir, spec = outcome.SpecName,
                        shape = one is null ? null : new[] { one.Shape.X, one.Shape.Y, one.Shape.Z }, explainedVariance = one?.ExplainedVariance,
                        cases = outcome.Cases.Select(k => new
                        {
                            name = k.Name, output = k.OutputDir, files = k.Files, grid = Choice.Text(k.Grid), shape = new[] { k.Shape.X, k.Shape.Y, k.Shape.Z },
                            spacing = new[] { k.Spacing.X, k.Spacing.Y, k.Spacing.Z }, explainedVariance = k.ExplainedVariance,
                        }),
                    });
                }
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

    /// <summary>Ingest reads and preprocesses a raw scan for embed (Evaluation does not reference Ingest).</summary>
    private static EmbedScan Scan(string file, Shards.Specs.PreprocessSpec spec)
    {
        var (source, preprocessed) = FilePreprocessor.ReadAndRun(file, spec);
        return new EmbedScan(preprocessed.Image, source.Volume);
    }

    private static Imaging.Volumes.Int3 ParseShape(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length == 3 && parts.All(p => int.TryParse(p, out var v) && v > 0)
            ? new Imaging.Volumes.Int3(int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]))
            : throw new ArgumentException($"{option} must be three positive whole numbers X,Y,Z, not '{text}'");
    }
}
