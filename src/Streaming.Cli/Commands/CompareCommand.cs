using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Evaluation.Comparison;

namespace Streaming.Cli.Commands;

/// <summary>
/// `streaming compare`: the benchmark's aggregation. Reads a manifest of evaluate reports (runs.tsv) and writes
/// comparison.{md,json,png}: per split a method x protocol table with paired per-volume confidence intervals against
/// each cell's reference, and per-class Dice; <see cref="ComparisonJob"/>. Errors go through UserErrors (one line).
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string>("manifest")
        {
            Description = "runs.tsv: tab-separated header 'split method pretrainSeed evalSeed report' (optionally 'randomInit': the method whose random init serves the run, - for its own), " +
                          "one evaluate run per line; report = path of its report.json relative to the manifest's folder",
        };
        var output = new Option<string>("--out") { Description = "Folder for comparison.md, comparison.json and comparison.png", DefaultValueFactory = _ => "runs/compare" };
        var json = CommonOptions.Json();
        var cmd = new Command("compare", CommonOptions.WithExamples(
            "Compare every method of a benchmark on held-out volumes: method x protocol tables per split (mean Dice, paired per-volume " +
            "difference to random init or from scratch with a 95% Student-t interval), per-class Dice and a figure (the tables on stdout)",
            "streaming compare runs/benchmark/runs.tsv --out docs/methods"))
            { manifest, output, json };
        cmd.SetAction(r =>
        {
            var outcome = ComparisonJob.Run(new ComparisonRequest { ManifestPath = r.GetValue(manifest)!, OutputDir = r.GetValue(output)! }, Log.Info);
            if (r.GetValue(json)) Console.Error.WriteLine(outcome.Table); else Console.Out.WriteLine(outcome.Table);
            Log.Info($"compare: {string.Join(", ", outcome.Files)}");
            if (r.GetValue(json))
                JsonSummary.Write(new
                {
                    command = "compare", ok = true, output = Path.GetFullPath(r.GetValue(output)!), files = outcome.Files,
                    splits = outcome.Result.Splits.Select(s => new
                    {
                        s.Split,
                        cells = s.Cells.Select(c => new { c.Row, c.Column, meanDice = Finite(c.MeanDice), c.Reference, delta = Finite(c.Difference?.Mean), lower = Finite(c.Difference?.Lower), upper = Finite(c.Difference?.Upper), volumes = c.Volumes }),
                    }),
                });
            return 0;
        });
        return cmd;
    }

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}
