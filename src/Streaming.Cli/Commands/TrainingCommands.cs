using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Evaluation;
using Streaming.Ingest.Preprocess;
using Streaming.Training;
using Streaming.Training.Config;
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
            try
            {
                var cfg = PretrainConfigLoader.Load(r.GetValue(config)!);
                if (r.GetValue(steps) is { } s) cfg = cfg with { Steps = s };
                if (r.GetValue(device) is { } d) cfg = cfg with { Device = d };
                if (r.GetValue(runDir) is { } rd) cfg = cfg with { RunDir = rd };
                if (r.GetValue(cache) is { } cd) cfg = cfg with { CacheDir = cd };
                Log.Info($"pretrain: {cfg.Steps} steps on {cfg.Device}, run dir {cfg.RunDir}");
                var summary = PretrainRunner.Run(cfg, r.GetValue(resume), ct, log: Log.Info);
                Log.Info($"pretrain: {summary.Status} at step {summary.EndStep}/{summary.TotalSteps}, loss {summary.LastLoss:F4}, {summary.StepsPerSecond:F2} steps/s, data wait {summary.DataWaitFraction:P1}, peak RSS {Log.Bytes(summary.PeakRssBytes)}; backbone {summary.BackboneFile ?? "(not yet: run incomplete)"}");
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

    private static Command Embed()
    {
        var run = new Option<string>("--run") { Description = "Run directory (or folder holding backbone.safetensors + backbone.json)", Required = true };
        var input = new Option<string>("--input") { Description = "A .nii/.nii.gz file or a DICOM series folder", Required = true };
        var spec = new Option<string?>("--spec") { Description = "Preprocess with this spec instead of the model's (backbone.json); refused if it differs, unless --force-spec" };
        var force = new Option<bool>("--force-spec") { Description = "Use --spec even though the model was trained on another preprocessing" };
        var output = new Option<string>("--out") { Description = "Output folder for image.nii.gz and pc1..pcN.nii.gz", Required = true };
        var components = new Option<int>("--pca") { Description = "Principal components of the voxel features to write", DefaultValueFactory = _ => 3 };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cpu" };
        var json = CommonOptions.Json();
        var c = new Command("embed", "Per-voxel feature maps of a volume (PCA to N channels) as NIfTI, for ITK-SNAP / 3D Slicer") { run, input, spec, force, output, components, device, json };
        c.SetAction(r =>
        {
            try
            {
                var outcome = EmbedJob.Run(new EmbedRequest
                {
                    ModelDir = r.GetValue(run)!, Input = r.GetValue(input)!, OutputDir = r.GetValue(output)!, SpecPath = r.GetValue(spec),
                    ForceSpec = r.GetValue(force), Components = r.GetValue(components), Device = r.GetValue(device)!,
                }, (file, preprocessing) => FilePreprocessor.Run(file, preprocessing).Image, Log.Info);
                var variance = outcome.ExplainedVariance;
                Log.Info($"embed: {outcome.Shape} voxels at {outcome.Spacing} mm ({outcome.SpecName}), {variance.Length} components (explained variance {string.Join(", ", variance.Select(v => v.ToString("G3")))}) → {outcome.OutputDir}");
                if (r.GetValue(json)) JsonSummary.Write(new { command = "embed", ok = true, output = outcome.OutputDir, shape = outcome.Shape.ToString(), spec = outcome.SpecName, explainedVariance = variance });
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
}
