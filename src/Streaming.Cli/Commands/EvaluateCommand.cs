using System.CommandLine;
using System.Diagnostics;
using Streaming.Cli.Output;
using Streaming.Evaluation.Data;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Reports;
using Streaming.Ingest.Cache;
using Streaming.Ingest.Specs;
using Streaming.Synth.Anatomy;

namespace Streaming.Cli.Commands;

/// <summary>
/// `streaming evaluate`: probe / fine-tune / kNN-segment the labeled volumes of a cache with a pre-trained backbone
/// (and, with --random-baseline, a random init of the same architecture) on k-fold splits; writes report.{json,md},
/// dice.png and the held-out predictions (NIfTI, source geometry) under --out, and prints the Dice table.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Evaluation settings (pipelines/eval-*.yaml); defaults: linear probe, 3 folds" };
        var spec = new Option<string>("--spec") { Description = "Preprocessing spec the labeled volumes were ingested with", DefaultValueFactory = _ => "pipelines/ct-demo-3mm.yaml" };
        var cache = CommonOptions.Cache();
        var backbone = new Option<string?>("--backbone") { Description = "Run directory (or folder) holding backbone.json + backbone.safetensors" };
        var random = new Option<bool>("--random-baseline") { Description = "Also evaluate a random init of the same architecture (seeded)" };
        var dataset = new Option<string?>("--dataset") { Description = "Only labeled volumes of this dataset" };
        var protocols = new Option<string?>("--protocols") { Description = "Comma-separated: linear, nonlinear, finetune, scratch, knn, unet, simsiam, scl (overrides the config)" };
        var steps = new Option<int?>("--steps") { Description = "Training steps per fold or split, of heads and of the supervised U-Nets (overrides the config)" };
        var folds = new Option<int?>("--folds") { Description = "k of the k-fold split (overrides the config)" };
        var names = new Option<string>("--class-names") { Description = "phantom (the synth label table) or none", DefaultValueFactory = _ => "none" };
        var output = new Option<string>("--out") { Description = "Report folder", DefaultValueFactory = _ => "runs/evaluate" };
        var json = CommonOptions.Json();
        var cmd = new Command("evaluate", "Linear/non-linear probing, fine-tuning, from-scratch and kNN segmentation with Dice/HD95 reports")
            { config, spec, cache, backbone, random, dataset, protocols, steps, folds, names, output, json };
        cmd.SetAction(r =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var o = r.GetValue(config) is { } path ? EvaluationConfigLoader.Load(path) : new EvaluationOptions();
                if (r.GetValue(protocols) is { } p) o = o with { Protocols = p.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ProtocolNames.Parse).Distinct().ToList() };
                if (r.GetValue(steps) is { } s) o = o with { Training = o.Training with { Steps = s }, Supervised = o.Supervised with { Steps = s } };
                if (r.GetValue(folds) is { } f) o = o with { Folds = f };
                o = r.GetValue(names) switch
                {
                    "phantom" => o with { ClassNames = PhantomLabels.All.ToDictionary(l => (int)l.Id, l => l.Name) },
                    "none" => o,
                    var n => throw new ArgumentException($"--class-names must be phantom or none, got '{n}'"),
                };
                o.Validate();

                var backbones = new List<BackboneSource>();
                if (r.GetValue(backbone) is { } dir) backbones.Add(BackboneSource.Pretrained(dir));
                if (r.GetValue(random))
                {
                    if (backbones.Count == 0) throw new ArgumentException("--random-baseline needs --backbone to know the architecture");
                    backbones.Add(BackboneSource.Random(backbones[0], o.Seed + 1));
                }
                if (backbones.Count == 0 && o.Protocols.Any(p => !ProtocolNames.IsSupervised(p)))
                    throw new ArgumentException("give --backbone RUN_DIR (and optionally --random-baseline); only unet, simsiam and scl need none");

                var store = CacheStore.Open(r.GetValue(cache)!, SpecLoader.Load(r.GetValue(spec)!));
                var records = LabeledCaseLoader.LabeledRecords(store, r.GetValue(dataset));
                var needed = o.HoldoutTestCases > 0 ? o.HoldoutTestCases + 1 : o.Folds;
                if (records.Count < needed)
                    throw new InvalidDataException($"{store.Layout.KeyDir}: {records.Count} labeled volumes, need at least {needed} for " +
                                                   (o.HoldoutTestCases > 0 ? $"a hold-out of {o.HoldoutTestCases}" : $"{o.Folds}-fold evaluation"));
                Log.Info($"evaluate: loading {records.Count} labeled volumes from {store.Layout.KeyDir}");
                var cases = LabeledCaseLoader.LoadAll(store, records);
                var outDir = Path.GetFullPath(r.GetValue(output)!);
                var result = new EvaluationRunner(o, outDir, Log.Info).Run(cases, backbones);
                var context = new Dictionary<string, string>
                {
                    ["cache"] = store.Layout.KeyDir, ["spec"] = store.Spec.Name, ["backbones"] = string.Join(", ", backbones.Select(b => b.IsRandom ? $"{b.Name} (seed {b.Seed})" : $"{b.Name} ({b.Directory})")),
                    ["labeled volumes"] = cases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                var files = ReportWriter.Write(outDir, result, o, "Segmentation evaluation", context);
                var table = ReportWriter.Table(result);
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
