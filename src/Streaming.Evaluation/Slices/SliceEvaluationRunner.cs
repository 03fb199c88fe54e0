using System.Diagnostics;
using Streaming.Evaluation.Data;
using Streaming.Evaluation.Protocols;
using Streaming.Training.Config;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Slices;

/// <summary>
/// SAL's few-label protocol: k folds over the labeled volumes; in each fold, for each M, every initialisation
/// (random init, PCL, SAL, ...) fine-tunes the whole 2-D U-Net on the same first M of the fold's shuffled training
/// cases from the same seed, then predicts every held-out volume slice by slice. Arms are named
/// <c>M=m/initialisation</c>; scores, summaries (mean ± std over folds) and reports are the 3-D evaluation's.
/// </summary>
public sealed class SliceEvaluationRunner(SliceFineTuneOptions options, string? outputDir, Action<string>? log = null)
{
    public const string ProtocolName = "slice-finetune";
    private readonly Action<string> log = log ?? (_ => { });

    public EvaluationResult Run(IReadOnlyList<LabeledCase> cases, IReadOnlyList<SliceInit> inits)
    {
        options.Validate();
        if (inits.Count == 0) throw new ArgumentException("no initialisation to evaluate");
        if (inits.Select(i => i.Name).Distinct().Count() != inits.Count) throw new ArgumentException("initialisation names must differ");
        var device = DeviceSpec.Open(options.Device);
        if (options.Threads > 0) set_num_threads(options.Threads);
        var clock = Stopwatch.StartNew();
        var byId = cases.ToDictionary(c => c.Id);
        var prepared = cases.ToDictionary(c => c.Id, c => new SliceCase(c, options.Labels));
        var folds = KFold.Split(byId.Keys, options.Folds, options.Seed);
        if (options.MaxFolds > 0) folds = folds.Take(options.MaxFolds).ToList();
        var labels = prepared.Values.SelectMany(c => CaseScoring.Present(c.Labels)).Distinct().Order().ToList();
        if (labels.Count == 0) throw new ArgumentException("no foreground label left to segment (check the kept labels)");
        var classes = labels.Max() + 1;
        log($"slice fine-tuning: {cases.Count} labeled cases, {folds.Count} of {options.Folds} folds, M = {string.Join(", ", options.LabeledSubjects)}, " +
            $"{labels.Count} classes, initialisations {string.Join(", ", inits.Select(i => i.Name))}");

        var scores = new List<CaseScore>();
        var trainSeconds = new Dictionary<string, double>();
        foreach (var fold in folds)
            foreach (var m in options.LabeledSubjects.Select(m => Math.Min(m, fold.Train.Count)).Distinct())
            {
                var train = fold.Train.Take(m).Select(id => prepared[id]).ToList();
                foreach (var init in inits)
                {
                    var arm = $"M={m}/{init.Name}";
                    var t = Stopwatch.StartNew();
                    using var net = init.Create(options.Model, classes, options.Seed + fold.Fold);
                    var steps = SliceFineTuner.Train(net, train, options, options.Seed + 1000 * fold.Fold + m, device);
                    trainSeconds[arm] = trainSeconds.GetValueOrDefault(arm) + t.Elapsed.TotalSeconds;
                    foreach (var id in fold.Test)
                    {
                        var c = prepared[id];
                        var predicted = SlicePredictor.Predict(net, c.Case.Input.Data, c.Shape, options.PredictBatch, device);
                        scores.Add(CaseScoring.Score(arm, ProtocolName, init.Name, fold.Fold, c.Case, c.Labels, predicted, options.WritePredictions ? outputDir : null));
                    }
                    var dice = scores.Where(s => s.Arm == arm && s.Fold == fold.Fold).SelectMany(s => s.Classes).Where(x => x.ReferenceVoxels > 0).Select(x => x.Dice).ToList();
                    log($"{arm} fold {fold.Fold}: {steps.Count} steps, loss {steps[0].Loss:F3} → {steps[^1].Loss:F3}, mean Dice {(dice.Count == 0 ? double.NaN : dice.Average()):F3}, {t.Elapsed.TotalSeconds:F1} s");
                }
            }
        var arms = scores.Select(s => s.Arm).Distinct().Select(a => Summaries.Summarise(a, scores, labels, options.ClassName, trainSeconds.GetValueOrDefault(a))).ToList();
        return new EvaluationResult(folds, labels, scores, arms, clock.Elapsed.TotalSeconds);
    }
}
