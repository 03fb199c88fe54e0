using System.CommandLine;
using System.Diagnostics;
using Streaming.Cli.Output;
using Streaming.Evaluation;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Reports;
using Streaming.Synth.Anatomy;
using Streaming.Training.Models;

namespace Streaming.Cli.Commands;

/// <summary>
/// `streaming evaluate`: probe / fine-tune / kNN-segment the labeled volumes of a cache with a pre-trained backbone
/// (and, with --random-baseline, a random init of the same architecture) on k-fold splits; writes report.{json,md},
/// dice.png and the held-out predictions (NIfTI, source geometry) under --out, and prints the Dice table. The cache
/// key and the input scaling come from the model (backbone.json): <see cref="Evaluation.EvaluationJob"/>.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var config = new Argument<string?>("config") { Description = "Evaluation settings (pipelines/eval-*.yaml); default: linear probe, 3 folds", Arity = ArgumentArity.ZeroOrOne };
        var configOld = new Option<string?>("--config") { Hidden = true, Description = "Old name of the config argument" };
        var spec = new Option<string?>("--spec") { Description = "Read the cache of this spec instead of the model's (backbone.json); refused if it differs, unless --force-spec" };
        var force = new Option<bool>("--force-spec") { Description = "Use --spec even though the model was trained on another preprocessing" };
        var cache = CommonOptions.Cache();
        var run = new Renamed<string?>(new Option<string?>("--run") { Description = "Run folder (or any folder) holding backbone.json + backbone.safetensors" }, "--backbone");
        var random = new Option<bool>("--random-baseline") { Description = "Also evaluate a random init of the same architecture (seeded)" };
        const string baselines = "Also evaluate a hand-crafted baseline: gvdiff (grey-value differences on a stride-4 grid, kNN only); " +
            "handmade (per voxel: intensity, Gaussian-smoothed at σ = 1, 2, 4 voxels, z/y/x in [-1, 1] over the whole volume; linear, non-linear and kNN, no fine-tuning arm)";
        var baseline = new Option<string[]>("--baseline") { Description = baselines };
        var baselineSeed = new Option<long?>("--baseline-seed") { Description = "Seed of the random-init and hand-crafted baselines (default: the config's seed, which also fixes the folds)" };
        var dataset = new Option<string?>("--dataset") { Description = "Only labeled volumes of this dataset" };
        var protocols = new Option<string?>("--protocols") { Description = "Comma-separated: linear, nonlinear, finetune, scratch, knn, unet, simsiam, scl (overrides the config)" };
        var steps = new Option<int?>("--steps") { Description = "Training steps per fold or split, of heads and of the supervised U-Nets (overrides the config)" };
        var folds = new Option<int?>("--folds") { Description = "k of the k-fold split (overrides the config)" };
        var names = new Option<string>("--class-names")
        {
            Description = "Names of the label ids in reports: an nnU-Net dataset.json, a labels file ('1 liver' per line, or ITK-SNAP's label description), phantom (the synth label table) or none",
            DefaultValueFactory = _ => "none",
        };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads (overrides the config's threads)" };
        var set = CommonOptions.Set();
        var output = new Option<string>("--out") { Description = "Report folder", DefaultValueFactory = _ => "runs/evaluate" };
        var readout = new Option<HierarchicalReadout?>("--readout") { Description = "Hierarchical backbones: raw (the FPN pyramid, as the paper's probes) or projected (the trained per-level projections); default: what backbone.json records" };
        var json = CommonOptions.Json();
        var cmd = new Command("evaluate", CommonOptions.WithExamples(
            "Linear/non-linear probing, fine-tuning, from-scratch and kNN segmentation with Dice/HD95 reports (the Dice table on stdout). " +
            "The cache key and input scaling come from the model's backbone.json",
            "streaming evaluate pipelines/eval-demo.yaml --run runs/v2v --random-baseline --class-names /data/Dataset001/dataset.json --out runs/eval",
            "streaming evaluate --run runs/v2v --set protocols=[linear,knn] --set folds=5"))
            { config, configOld, spec, force, cache, random, baseline, baselineSeed, dataset, protocols, steps, folds, names, threads, set, output, readout, json };
        run.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var o = EvaluationConfigLoader.Load(r.GetValue(config) ?? r.GetValue(configOld), r.GetValue(set));
                if (r.GetValue(threads) is { } th) o = o with { Threads = th };
                if (r.GetValue(protocols) is { } p) o = o with { Protocols = p.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ProtocolNames.Parse).Distinct().ToList() };
                if (r.GetValue(steps) is { } s) o = o with { Training = o.Training with { Steps = s }, Supervised = o.Supervised with { Steps = s } };
                if (r.GetValue(folds) is { } f) o = o with { Folds = f };
                o = r.GetValue(names) switch
                {
                    "phantom" => o with { ClassNames = PhantomLabels.All.ToDictionary(l => (int)l.Id, l => l.Name) },
                    "none" => o,
                    var n when File.Exists(n) => o with { ClassNames = LabelNames.Load(n).ToDictionary(kv => kv.Key, kv => kv.Value) },
                    var n => throw new ArgumentException($"--class-names must be a dataset.json or labels file, phantom or none; '{n}' is none of these"),
                };
                o.Validate();

                var dir = run.Get(r);
                if (dir is null && o.Protocols.Any(p => !ProtocolNames.IsSupervised(p)))
                    throw new ArgumentException("give --run RUN_DIR (and optionally --random-baseline); only unet, simsiam and scl need none");
                var outcome = EvaluationJob.Run(new EvaluationRequest
                {
                    Options = o, CacheRoot = r.GetValue(cache)!, BackboneDir = dir, RandomBaseline = r.GetValue(random), Baselines = r.GetValue(baseline) ?? [],
                    BaselineSeed = r.GetValue(baselineSeed), Dataset = r.GetValue(dataset),
                    SpecPath = r.GetValue(spec), ForceSpec = r.GetValue(force), OutputDir = r.GetValue(output)!, Readout = r.GetValue(readout),
                }, Log.Info);
                var (result, files, table, outDir) = (outcome.Result, outcome.Files, outcome.Table, Path.GetFullPath(r.GetValue(output)!));
                if (r.GetValue(json)) Console.Error.WriteLine(table); else Console.Out.WriteLine(table);
                Log.Info($"evaluate: report in {outDir} ({clock.Elapsed.TotalSeconds:F0} s)");
                if (r.GetValue(json))
                    JsonSummary.Write(new
                    {
                        command = "evaluate", ok = true, output = outDir, files, elapsedSeconds = clock.Elapsed.TotalSeconds,
                        arms = result.Arms.Select(a => new { a.Arm, meanDice = Finite(a.MeanDice.Mean), diceStd = Finite(a.MeanDice.Std), meanHd95 = Finite(a.MeanHd95.Mean) }),
                    });
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Log.Error(e.Message);
                if (r.GetValue(json)) JsonSummary.Write(new { command = "evaluate", ok = false, error = e.Message });
                return 1;
            }
        });
        return cmd;
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
