using System.Globalization;
using Streaming.Evaluation.Data;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Reports;
using Streaming.Shards.Cache;
using Streaming.Shards.Specs;
using Streaming.Training.Export;

namespace Streaming.Evaluation;

/// <summary>What <see cref="EvaluationJob.Run"/> evaluates and where it writes.</summary>
public sealed record EvaluationRequest
{
    public required EvaluationOptions Options { get; init; }
    /// <summary>Shard cache root; the key folder is the model's spec (or <see cref="SpecPath"/>).</summary>
    public required string CacheRoot { get; init; }
    /// <summary>Run directory (or folder) holding backbone.json + backbone.safetensors.</summary>
    public required string BackboneDir { get; init; }
    /// <summary>Also evaluate a random init of the same architecture (seed = options seed + 1).</summary>
    public bool RandomBaseline { get; init; }
    /// <summary>Only labeled volumes of this dataset.</summary>
    public string? Dataset { get; init; }
    /// <summary>Read the cache of this spec instead of the model's: refused when its key differs, unless <see cref="ForceSpec"/>.</summary>
    public string? SpecPath { get; init; }
    public bool ForceSpec { get; init; }
    public required string OutputDir { get; init; }
}

/// <summary>What an evaluation produced: the result, the report files, the Dice table and the report's context lines.</summary>
public sealed record EvaluationOutcome(EvaluationResult Result, IReadOnlyList<string> Files, string Table, IReadOnlyDictionary<string, string> Context);

/// <summary>
/// <c>evaluate</c>: the labeled volumes of the cache key the model was trained on (its input contract), scaled as the
/// model was trained, through every requested protocol for the pre-trained backbone (and its random-init twin), then
/// report.json/report.md/dice.png and the held-out predictions under the output folder.
/// </summary>
public static class EvaluationJob
{
    public static EvaluationOutcome Run(EvaluationRequest r, Action<string>? log = null)
    {
        var say = log ?? (_ => { });
        var o = r.Options;
        o.Validate();
        var manifest = BackboneExport.ReadManifest(r.BackboneDir);
        var spec = manifest.Input.ResolveSpec(r.SpecPath, r.ForceSpec, r.BackboneDir);
        var backbones = new List<BackboneSource> { BackboneSource.Pretrained(r.BackboneDir) };
        if (r.RandomBaseline) backbones.Add(BackboneSource.Random(backbones[0], o.Seed + 1));

        var store = CacheReader.Open(r.CacheRoot, spec); // read-only: a missing cache is an error, never an empty folder
        var records = LabeledCaseLoader.LabeledRecords(store, r.Dataset);
        if (records.Count < o.Folds)
            throw new InvalidDataException($"{store.Layout.KeyDir}: {records.Count} labeled volumes, need at least {o.Folds} for {o.Folds}-fold evaluation");
        say($"evaluate: loading {records.Count} labeled volumes from {store.Layout.KeyDir} ({spec.Name})");
        var cases = LabeledCaseLoader.LoadAll(store, records, v => manifest.Input.ScalingFor(v.Modality));
        var outDir = Path.GetFullPath(r.OutputDir);
        var result = new EvaluationRunner(o, outDir, say).Run(cases, backbones);
        var context = new Dictionary<string, string>
        {
            ["cache"] = store.Layout.KeyDir, ["spec"] = store.Spec.Name,
            ["backbones"] = string.Join(", ", backbones.Select(b => b.IsRandom ? $"{b.Name} (seed {b.Seed})" : $"{b.Name} ({b.Directory})")),
            ["labeled volumes"] = cases.Count.ToString(CultureInfo.InvariantCulture),
        };
        var files = ReportWriter.Write(outDir, result, o, "Segmentation evaluation", context);
        return new EvaluationOutcome(result, files, ReportWriter.Table(result), context);
    }
}
