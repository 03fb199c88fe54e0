using System.Diagnostics;
using Streaming.Evaluation.Data;
using Streaming.Evaluation.Features;
using Streaming.Evaluation.Heads;
using Streaming.Evaluation.Inference;
using Streaming.Evaluation.Knn;
using Streaming.Evaluation.Metrics;
using Streaming.Evaluation.Training;
using Streaming.Training.Config;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Protocols;

/// <summary>
/// Runs every requested protocol for every backbone on the same k-fold splits and scores the held-out cases.
/// Frozen protocols (linear, non-linear, kNN) compute each case's pyramid once per backbone and reuse it in every
/// fold; fine-tuning starts each fold from a fresh copy of the backbone; from-scratch runs once, on a random init of
/// the first backbone's architecture. Held-out predictions are written as NIfTI in the source geometry.
/// </summary>
public sealed class EvaluationRunner(EvaluationOptions options, string? outputDir, Action<string>? log = null)
{
    private readonly Action<string> log = log ?? (_ => { });
    private readonly Device device = DeviceSpec.Open(options.Device);

    public EvaluationResult Run(IReadOnlyList<LabeledCase> cases, IReadOnlyList<BackboneSource> backbones)
    {
        options.Validate();
        if (backbones.Count == 0) throw new ArgumentException("no backbone to evaluate");
        if (options.Threads > 0) set_num_threads(options.Threads);
        var clock = Stopwatch.StartNew();
        var byId = cases.ToDictionary(c => c.Id);
        var folds = KFold.Split(byId.Keys, options.Folds, options.Seed, options.MaxTrainCases == 0 ? null : options.MaxTrainCases);
        if (options.MaxFolds > 0) folds = folds.Take(options.MaxFolds).ToList();
        var labels = cases.SelectMany(c => Present(c.Labels.Data)).Distinct().Order().ToList();
        var classes = Math.Max(2, cases.Max(c => c.Labels.Data.Max()) + 1);
        log($"evaluate: {cases.Count} labeled cases, {folds.Count} of {options.Folds} folds, {labels.Count} foreground classes, " +
            $"protocols {string.Join(", ", options.Protocols.Select(ProtocolNames.Name))}, backbones {string.Join(", ", backbones.Select(b => b.Name))}");

        var scores = new List<CaseScore>();
        var trainSeconds = new Dictionary<string, double>();
        var frozen = options.Protocols.Where(p => p is Protocol.Linear or Protocol.NonLinear or Protocol.Knn).ToList();
        foreach (var source in backbones)
        {
            if (frozen.Count > 0) RunFrozen(source, frozen, folds, byId, classes, scores, trainSeconds);
            if (options.Protocols.Contains(Protocol.FineTune))
                RunEndToEnd(source, Protocol.FineTune, BackboneSchedule.FineTune(options.FreezeSteps), folds, byId, classes, scores, trainSeconds);
        }
        if (options.Protocols.Contains(Protocol.Scratch))
            RunEndToEnd(BackboneSource.Random(backbones[0], options.Seed + 7919, "scratch"), Protocol.Scratch,
                BackboneSchedule.Constant(options.ScratchLr), folds, byId, classes, scores, trainSeconds);

        var arms = scores.Select(s => s.Arm).Distinct().Select(a => Summaries.Summarise(a, scores, labels, options.ClassName, trainSeconds.GetValueOrDefault(a))).ToList();
        return new EvaluationResult(folds, labels, scores, arms, clock.Elapsed.TotalSeconds);
    }

    private void RunFrozen(BackboneSource source, List<Protocol> protocols, IReadOnlyList<FoldSplit> folds, Dictionary<string, LabeledCase> byId,
        int classes, List<CaseScore> scores, Dictionary<string, double> trainSeconds)
    {
        var sw = Stopwatch.StartNew();
        using var backbone = source.Create();
        backbone.to(device); backbone.eval();
        var needed = folds.SelectMany(f => f.Train.Concat(f.Test)).Distinct().ToList();
        var pyramids = new Dictionary<string, FeaturePyramid>();
        try
        {
            foreach (var id in needed)
            {
                var c = byId[id];
                pyramids[id] = PyramidExtractor.Extract(backbone, c.Input.Data, c.Shape, options.Window, device);
            }
            log($"{source.Name}: features of {needed.Count} volumes in {sw.Elapsed.TotalSeconds:F1} s");
            foreach (var fold in folds)
                foreach (var protocol in protocols)
                {
                    if (protocol == Protocol.Knn) { RunKnn(source, fold, byId, pyramids, classes, scores, trainSeconds); continue; }
                    var arm = Arm(protocol, source.Name);
                    var t = Stopwatch.StartNew();
                    random.manual_seed(options.Seed + fold.Fold);
                    var (mean, std) = StandardizedHead.Statistics(fold.Train.Select(id => pyramids[id]).ToList());
                    using var head = new StandardizedHead(
                        HeadFactory.Create(protocol == Protocol.Linear ? HeadKind.Linear : HeadKind.NonLinear, backbone.OutputChannels, classes), mean, std);
                    var steps = FrozenHeadTrainer.Train(head, fold.Train.Select(id => (pyramids[id], byId[id].Labels)).ToList(),
                        options.Training with { Seed = options.Training.Seed + fold.Fold }, device, Progress(arm, fold, t));
                    trainSeconds[arm] = trainSeconds.GetValueOrDefault(arm) + t.Elapsed.TotalSeconds;
                    log($"{arm} fold {fold.Fold}: {steps.Count} steps, loss {steps[0].Loss:F3} → {steps[^1].Loss:F3}, {t.Elapsed.TotalSeconds:F1} s");
                    foreach (var id in fold.Test)
                        scores.Add(Score(arm, protocol, source.Name, fold.Fold, byId[id], Segmenter.Predict(head, pyramids[id], device)));
                    LogFold(arm, fold, scores);
                }
        }
        finally
        {
            foreach (var p in pyramids.Values) p.Dispose();
        }
    }

    private void RunKnn(BackboneSource source, FoldSplit fold, Dictionary<string, LabeledCase> byId, Dictionary<string, FeaturePyramid> pyramids,
        int classes, List<CaseScore> scores, Dictionary<string, double> trainSeconds)
    {
        foreach (var shots in options.KnnShots.Select(s => Math.Min(s, fold.Train.Count)).Distinct())
        {
            var arm = Arm(Protocol.Knn, source.Name) + $"-{shots}shot";
            var t = Stopwatch.StartNew();
            using var knn = KnnSegmenter.Build(fold.Train.Take(shots).Select(id => (pyramids[id], byId[id].Labels.Data)), options.KnnK, options.KnnKeyEvery);
            foreach (var id in fold.Test)
                scores.Add(Score(arm, Protocol.Knn, source.Name, fold.Fold, byId[id], knn.Predict(pyramids[id], options.KnnQueryEvery)));
            trainSeconds[arm] = trainSeconds.GetValueOrDefault(arm) + t.Elapsed.TotalSeconds;
            LogFold(arm, fold, scores);
        }
    }

    private void RunEndToEnd(BackboneSource source, Protocol protocol, BackboneSchedule schedule, IReadOnlyList<FoldSplit> folds,
        Dictionary<string, LabeledCase> byId, int classes, List<CaseScore> scores, Dictionary<string, double> trainSeconds)
    {
        var arm = Arm(protocol, source.Name);
        foreach (var fold in folds)
        {
            var t = Stopwatch.StartNew();
            using var backbone = source.Create();
            random.manual_seed(options.Seed + fold.Fold);
            using var head = new NonLinearHead(backbone.OutputChannels, classes);
            var o = protocol == Protocol.Scratch ? options.Training with { HeadLr = options.ScratchLr } : options.Training;
            var steps = EndToEndTrainer.Train(backbone, head, fold.Train.Select(id => byId[id]).ToList(), o with { Seed = o.Seed + fold.Fold }, schedule, device,
                Progress(arm, fold, t));
            trainSeconds[arm] = trainSeconds.GetValueOrDefault(arm) + t.Elapsed.TotalSeconds;
            log($"{arm} fold {fold.Fold}: {steps.Count} steps, loss {steps[0].Loss:F3} → {steps[^1].Loss:F3}, {t.Elapsed.TotalSeconds:F1} s");
            foreach (var id in fold.Test)
            {
                var c = byId[id];
                scores.Add(Score(arm, protocol, source.Name, fold.Fold, c, Segmenter.Predict(backbone, head, c.Input.Data, c.Shape, options.Window, device)));
            }
            LogFold(arm, fold, scores);
        }
    }

    private CaseScore Score(string arm, Protocol protocol, string backbone, int fold, LabeledCase c, byte[] predicted) =>
        CaseScoring.Score(arm, ProtocolNames.Name(protocol), backbone, fold, c, c.Labels.Data, predicted, options.WritePredictions ? outputDir : null);

    private void LogFold(string arm, FoldSplit fold, List<CaseScore> scores)
    {
        var dice = scores.Where(s => s.Arm == arm && s.Fold == fold.Fold).SelectMany(s => s.Classes).Where(m => m.ReferenceVoxels > 0).Select(m => m.Dice).ToList();
        log($"{arm} fold {fold.Fold}: mean Dice {(dice.Count == 0 ? double.NaN : dice.Average()):F3} over {fold.Test.Count} held-out volumes");
    }

    private Action<TrainStepRecord> Progress(string arm, FoldSplit fold, Stopwatch clock) => r =>
    {
        if ((r.Step + 1) % 100 == 0) log($"{arm} fold {fold.Fold}: step {r.Step + 1}/{options.Training.Steps}, loss {r.Loss:F3}, {clock.Elapsed.TotalSeconds:F0} s");
    };

    private static string Arm(Protocol p, string backbone) => $"{ProtocolNames.Name(p)}/{backbone}";

    private static IEnumerable<int> Present(byte[] labels) => CaseScoring.Present(labels);
}
