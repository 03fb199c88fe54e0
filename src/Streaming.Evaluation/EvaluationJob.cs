using System.Globalization;
using Streaming.Evaluation.Data;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Reports;
using Streaming.Shards.Cache;
using Streaming.Shards.Specs;
using Streaming.Sampling;
using Streaming.Training.Export;
using Streaming.Training.Models;

namespace Streaming.Evaluation;

/// <summary>What <see cref="EvaluationJob.Run"/> evaluates and where it writes.</summary>
public sealed record EvaluationRequest
{
    public required EvaluationOptions Options { get; init; }
    /// <summary>Shard cache root; the key folder is the model's spec (or <see cref="SpecPath"/>).</summary>
    public required string CacheRoot { get; init; }
    /// <summary>Run directory (or folder) holding backbone.json + backbone.safetensors; null when only the supervised
    /// protocols (unet, simsiam, scl) run, which train their own U-Nets and then need <see cref="SpecPath"/>.</summary>
    public string? BackboneDir { get; init; }
    /// <summary>Also evaluate a random init of the same architecture (seed = <see cref="BaselineSeed"/> + 1).</summary>
    public bool RandomBaseline { get; init; }
    /// <summary>Hand-crafted baselines evaluated beside the model (<c>gvdiff</c>: grey-value differences, seed = <see cref="BaselineSeed"/> + 2;
    /// <c>handmade</c>: intensity, smoothed intensities and whole-volume coordinates, no fine-tuning arm).</summary>
    public IReadOnlyList<string> Baselines { get; init; } = [];
    /// <summary>Seeds the random-init and hand-crafted baselines (null: the options' seed), so repeated runs can draw
    /// new baselines while the fold split, which the options' seed fixes, stays the same.</summary>
    public long? BaselineSeed { get; init; }
    /// <summary>Only labeled volumes of this dataset.</summary>
    public string? Dataset { get; init; }
    /// <summary>Read the cache of this spec instead of the model's: refused when its key differs, unless <see cref="ForceSpec"/>.</summary>
    public string? SpecPath { get; init; }
    public bool ForceSpec { get; init; }
    /// <summary>A hierarchical backbone's read-out (raw pyramid or trained projections); null = what backbone.json records.</summary>
    public HierarchicalReadout? Readout { get; init; }
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
        var manifest = r.BackboneDir is { } dir ? BackboneExport.ReadManifest(dir) : null;
        if (manifest is null && o.Protocols.Any(p => !ProtocolNames.IsSupervised(p)))
            throw new ArgumentException("a pre-trained backbone is needed for every protocol but unet, simsiam and scl");
        var spec = manifest is not null ? manifest.Input.ResolveSpec(r.SpecPath, r.ForceSpec, r.BackboneDir!)
            : SpecLoader.Load(r.SpecPath ?? throw new ArgumentException("without --backbone, give --spec (the preprocessing of the labeled cache)"));
        var backbones = new List<BackboneSource>();
        if (r.BackboneDir is not null) backbones.Add(BackboneSource.Pretrained(r.BackboneDir, readout: r.Readout));
        var baselineSeed = r.BaselineSeed ?? o.Seed;
        if (r.RandomBaseline)
        {
            if (backbones.Count == 0) throw new ArgumentException("--random-baseline needs --backbone to know the architecture");
            backbones.Add(BackboneSource.Random(backbones[0], baselineSeed + 1));
        }
        foreach (var b in r.Baselines)
            backbones.Add(b switch
            {
                "gvdiff" => BackboneSource.Random(new Streaming.Training.Methods.Context.GreyValueOptions(), baselineSeed + 2, "gvdiff"),
                // Deterministic (no parameters): the seed is only carried along for the report.
                "handmade" => BackboneSource.Random(new Streaming.Training.Methods.HandmadeOptions(), baselineSeed + 3, "handmade"),
                _ => throw new ArgumentException($"unknown baseline '{b}'; known: gvdiff, handmade"),
            });

        var store = CacheReader.Open(r.CacheRoot, spec); // read-only: a missing cache is an error, never an empty folder
        var records = LabeledCaseLoader.LabeledRecords(store, r.Dataset);
        var needed = o.HoldoutTestCases > 0 ? o.HoldoutTestCases + 1 : o.Folds;
        if (records.Count < needed)
            throw new InvalidDataException($"{store.Layout.KeyDir}: {records.Count} labeled volumes, need at least {needed} for " +
                                           (o.HoldoutTestCases > 0 ? $"a hold-out of {o.HoldoutTestCases}" : $"{o.Folds}-fold evaluation"));
        say($"evaluate: loading {records.Count} labeled volumes from {store.Layout.KeyDir} ({spec.Name})");
        // Backbone protocols see the model's input contract; the supervised ones rescale from the cached values.
        var cases = LabeledCaseLoader.LoadAll(store, records, v => manifest?.Input.ScalingFor(v.Modality) ?? InputScaling.Identity);
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
