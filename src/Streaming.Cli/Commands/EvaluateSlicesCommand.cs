using System.CommandLine;
using System.Diagnostics;
using Streaming.Cli.Output;
using Streaming.Evaluation.Reports;
using Streaming.Evaluation.Slices;
using Streaming.Synth.Anatomy;

namespace Streaming.Cli.Commands;

/// <summary>
/// `streaming evaluate-slices`: SAL's few-label protocol. The whole 2-D U-Net is fine-tuned on M labeled subjects per
/// fold from a random init and from each pre-trained 2-D encoder (sal, pcl, ...), the same subjects and seed for all,
/// then predicts every held-out volume slice by slice; report and predictions as `evaluate` writes them.
/// </summary>
public static class EvaluateSlicesCommand
{
    public static Command Create()
    {
        var config = new Argument<string?>("config") { Description = "Settings (pipelines/sal-eval*.yaml); default: 4 folds, M = 1, 2, 4, 8", Arity = ArgumentArity.ZeroOrOne };
        var configOld = new Option<string?>("--config") { Hidden = true, Description = "Old name of the config argument" };
        var run = new Renamed<string[]>(new Option<string[]>("--run")
        {
            Description = "NAME=RUN_DIR of a pre-trained 2-D encoder (method sal; repeat for sal and pcl)", AllowMultipleArgumentsPerToken = false,
        }, "--backbone");
        var noRandom = new Option<bool>("--no-random-baseline") { Description = "Skip the random-init arm" };
        var spec = new Option<string?>("--spec") { Description = "Read the cache of this spec instead of the models' (needed without --run)" };
        var force = new Option<bool>("--force-spec") { Description = "Use --spec even though the models were trained on another preprocessing" };
        var cache = CommonOptions.Cache();
        var dataset = new Option<string?>("--dataset") { Description = "Only labeled volumes of this dataset" };
        var seed = new Option<long?>("--seed") { Description = "Seed of the folds, inits and slice draws (overrides the config)" };
        var steps = new Option<int?>("--steps") { Description = "Fine-tuning steps per arm and fold (overrides the config)" };
        var names = new Option<string>("--class-names")
        {
            Description = "Names of the label ids in reports: an nnU-Net dataset.json, a labels file ('1 liver' per line, or ITK-SNAP's label description), phantom (the synth label table) or none",
            DefaultValueFactory = _ => "none",
        };
        var set = CommonOptions.Set();
        var output = new Option<string>("--out") { Description = "Report folder", DefaultValueFactory = _ => "runs/evaluate-slices" };
        var json = CommonOptions.Json();
        var cmd = new Command("evaluate-slices", CommonOptions.WithExamples(
            "2-D fine-tuning with M labeled subjects per fold (SAL's protocol): random init vs pre-trained encoders (the Dice table on stdout)",
            "streaming evaluate-slices pipelines/sal-eval.yaml --run sal=runs/sal-ct --run pcl=runs/sal-ct-pcl --cache cache --out runs/sal-eval",
            "streaming evaluate-slices pipelines/sal-eval.yaml --run sal=runs/sal-ct --set steps=50"))
            { config, configOld, noRandom, spec, force, cache, dataset, seed, steps, names, set, output, json };
        run.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var o = SliceFineTuneConfigLoader.Load(r.GetValue(config) ?? r.GetValue(configOld), r.GetValue(set));
                if (r.GetValue(seed) is { } s) o = o with { Seed = s };
                if (r.GetValue(steps) is { } n) o = o with { Steps = n };
                o = r.GetValue(names) switch
                {
                    "phantom" => o with { ClassNames = PhantomLabels.All.ToDictionary(l => (int)l.Id, l => l.Name) },
                    "none" => o,
                    var v when File.Exists(v) => o with { ClassNames = LabelNames.Load(v).ToDictionary(kv => kv.Key, kv => kv.Value) },
                    var v => throw new ArgumentException($"--class-names must be a dataset.json or labels file, phantom or none; '{v}' is none of these"),
                };
                var backbones = (run.Get(r) ?? []).Select(b => b.Split('=', 2) is [var name, var dir] && name.Length > 0 && dir.Length > 0
                    ? (name, dir) : throw new ArgumentException($"--run takes NAME=RUN_DIR, got '{b}'")).ToList();
                var outcome = SliceEvaluationJob.Run(new SliceEvaluationRequest
                {
                    Options = o, CacheRoot = r.GetValue(cache)!, Backbones = backbones, RandomBaseline = !r.GetValue(noRandom), Dataset = r.GetValue(dataset),
                    SpecPath = r.GetValue(spec), ForceSpec = r.GetValue(force), OutputDir = r.GetValue(output)!,
                }, Log.Info);
                if (r.GetValue(json)) Console.Error.WriteLine(outcome.Table); else Console.Out.WriteLine(outcome.Table);
                var outDir = Path.GetFullPath(r.GetValue(output)!);
                Log.Info($"evaluate-slices: report in {outDir} ({clock.Elapsed.TotalSeconds:F0} s)");
                if (r.GetValue(json))
                    JsonSummary.Write(new
                    {
                        command = "evaluate-slices", ok = true, output = outDir, files = outcome.Files, elapsedSeconds = clock.Elapsed.TotalSeconds,
                        arms = outcome.Result.Arms.Select(a => new { a.Arm, meanDice = Finite(a.MeanDice.Mean), diceStd = Finite(a.MeanDice.Std), meanHd95 = Finite(a.MeanHd95.Mean) }),
                    });
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Log.Error(e.Message);
                if (r.GetValue(json)) JsonSummary.Write(new { command = "evaluate-slices", ok = false, error = e.Message });
                return 1;
            }
        });
        return cmd;
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
