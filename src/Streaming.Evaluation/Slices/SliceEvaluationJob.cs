using System.Globalization;
using Streaming.Evaluation.Data;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Reports;
using Streaming.Shards.Cache;
using Streaming.Shards.Specs;
using Streaming.Training.Export;
using Streaming.Training.Methods.Sal;

namespace Streaming.Evaluation.Slices;

/// <summary>What <see cref="SliceEvaluationJob.Run"/> evaluates and where it writes.</summary>
public sealed record SliceEvaluationRequest
{
    public required SliceFineTuneOptions Options { get; init; }
    /// <summary>Shard cache root; the key folder is the first model's spec (or <see cref="SpecPath"/>).</summary>
    public required string CacheRoot { get; init; }
    /// <summary>Pre-trained 2-D encoders (name, run directory with backbone.json + backbone.safetensors), e.g. sal and pcl.</summary>
    public IReadOnlyList<(string Name, string Directory)> Backbones { get; init; } = [];
    /// <summary>Also fine-tune a random initialisation (the same seed's init every other arm starts from, minus the encoder).</summary>
    public bool RandomBaseline { get; init; } = true;
    public string? Dataset { get; init; }
    /// <summary>Read the cache of this spec: required without a backbone, refused when it differs from theirs unless <see cref="ForceSpec"/>.</summary>
    public string? SpecPath { get; init; }
    public bool ForceSpec { get; init; }
    public required string OutputDir { get; init; }
}

/// <summary>
/// <c>evaluate-slices</c>: SAL's few-label protocol on the labeled volumes of a cache. The U-Net's shape, the
/// preprocessing spec and the input scaling come from the pre-trained models' backbone.json (they must agree); every
/// arm (random init, and each model's encoder) fine-tunes on the same M subjects from the same seed; report.json,
/// report.md, dice.png and the held-out predictions (source geometry) go to the output folder.
/// </summary>
public static class SliceEvaluationJob
{
    public static EvaluationOutcome Run(SliceEvaluationRequest r, Action<string>? log = null)
    {
        var say = log ?? (_ => { });
        var o = r.Options;
        if (r.Backbones.Count == 0 && !r.RandomBaseline) throw new ArgumentException("nothing to evaluate: give a pre-trained model or the random baseline");
        var manifests = r.Backbones.Select(b => (b.Name, b.Directory, Manifest: BackboneExport.ReadManifest(b.Directory))).ToList();
        foreach (var m in manifests)
        {
            if (m.Manifest.Method != SalOptions.MethodName)
                throw new ArgumentException($"{m.Directory}: a {m.Manifest.Method} model; slice fine-tuning needs a 2-D U-Net encoder (method sal)");
            var model = ((SalOptions)m.Manifest.ToMethodOptions(Path.Combine(m.Directory, BackboneExport.ManifestFile))).Model;
            if (m == manifests[0]) o = o with { Model = model };
            else if (!model.Equals(o.Model)) throw new ArgumentException($"{m.Directory}: its U-Net ({string.Join("-", model.Widths)}) differs from {manifests[0].Directory}'s ({string.Join("-", o.Model.Widths)})");
        }
        o.Validate();
        var first = manifests.Count > 0 ? manifests[0].Manifest : null;
        var spec = first is not null ? first.Input.ResolveSpec(r.SpecPath, r.ForceSpec, manifests[0].Directory)
            : SpecLoader.Load(r.SpecPath ?? throw new ArgumentException("without a pre-trained model give --spec (the cache to read)"));
        foreach (var m in manifests.Skip(1))
            if (m.Manifest.Input.SpecKey is { } key && key != SpecHasher.Key(spec) && !r.ForceSpec)
                throw new ArgumentException($"{m.Directory} was trained on another preprocessing (cache key {key}) than {manifests[0].Directory} ({SpecHasher.Key(spec)}); add --force-spec to compare them anyway");

        var keyDir = Path.Combine(Path.GetFullPath(r.CacheRoot), SpecHasher.Key(spec));
        if (!Directory.Exists(keyDir))
            throw new DirectoryNotFoundException($"{keyDir}: no cache for spec {spec.Name} under {r.CacheRoot}; ingest the labeled volumes with that spec first");
        var store = CacheStore.OpenExisting(keyDir);
        var records = LabeledCaseLoader.LabeledRecords(store, r.Dataset);
        if (records.Count < o.Folds)
            throw new InvalidDataException($"{keyDir}: {records.Count} labeled volumes, need at least {o.Folds} for {o.Folds}-fold evaluation");
        say($"evaluate-slices: loading {records.Count} labeled volumes from {keyDir} ({spec.Name})");
        var cases = LabeledCaseLoader.LoadAll(store, records, v => first?.Input.ScalingFor(v.Modality) ?? Sampling.InputScaling.CtWindow);

        var inits = new List<SliceInit>();
        if (r.RandomBaseline) inits.Add(SliceInit.Random());
        inits.AddRange(r.Backbones.Select(b => SliceInit.Pretrained(b.Directory, b.Name)));
        var outDir = Path.GetFullPath(r.OutputDir);
        var result = new SliceEvaluationRunner(o, outDir, say).Run(cases, inits);
        var context = new Dictionary<string, string>
        {
            ["protocol"] = $"2-D fine-tuning of the whole U-Net ({string.Join("-", o.Model.Widths)}), {o.Steps} steps of {o.BatchSize} slices, Adam {o.LearningRate.ToString(CultureInfo.InvariantCulture)}, M = {string.Join(", ", o.LabeledSubjects)} labeled subjects per fold",
            ["cache"] = keyDir, ["spec"] = spec.Name,
            ["initialisations"] = string.Join(", ", inits.Select(i => i.IsRandom ? $"{i.Name} (seed {o.Seed} + fold)" : $"{i.Name} ({Path.GetDirectoryName(i.WeightsPath)})")),
            ["labeled volumes"] = cases.Count.ToString(CultureInfo.InvariantCulture),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
        };
        var files = ReportWriter.Write(outDir, result, o, "Slice fine-tuning (SAL protocol)", context);
        return new EvaluationOutcome(result, files, ReportWriter.Table(result), context);
    }
}
