using System.Diagnostics;
using Streaming.Evaluation.Data;
using Streaming.Evaluation.Features;
using Streaming.Evaluation.Heads;
using Streaming.Evaluation.Inference;
using Streaming.Evaluation.Knn;
using Streaming.Evaluation.Metrics;
using Streaming.Evaluation.Supervised;
using Streaming.Evaluation.Training;
using Streaming.Training.Config;
using Streaming.Training.Logging;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Protocols;

/// <summary>
/// Runs every requested protocol for every backbone on the same k-fold splits and scores the held-out cases.
/// Frozen protocols (linear, non-linear, kNN) compute each case's pyramid once per backbone and reuse it in every
/// fold; fine-tuning starts each fold from a fresh copy of the backbone; from-scratch runs once, on a random init of
/// the first backbone's architecture. The supervised protocols (unet, simsiam, scl) train a 3-D U-Net per split and
/// label fraction and need no backbone. Held-out predictions are written as NIfTI in the source geometry.
/// </summary>
public sealed class EvaluationRunner(EvaluationOptions options, string? outputDir, Action<string>? log = null)
{
    private readonly Action<string> log = log ?? (_ => { });
    private readonly Device device = DeviceSpec.Open(options.Device);

    public EvaluationResult Run(IReadOnlyList<LabeledCase> cases, IReadOnlyList<BackboneSource> backbones)
    {
        options.Validate();
        var needsBackbone = options.Protocols.Any(p => !ProtocolNames.IsSupervised(p));
        if (needsBackbone && backbones.Count == 0) throw new ArgumentException("no backbone to evaluate");
        log($"evaluate: {Streaming.Training.Runtime.TorchThreads.Apply(options.Threads)}");
        var clock = Stopwatch.StartNew();
        if (options.KeepLabels.Count > 0) cases = cases.Select(c => KeepOnly(c, options.KeepLabels)).ToList();
        var byId = cases.ToDictionary(c => c.Id);
        int? maxTrain = options.MaxTrainCases == 0 ? null : options.MaxTrainCases;
        var folds = options.HoldoutTestCases > 0
            ? HoldoutSplit.Split(byId.Keys, options.HoldoutTestCases, options.HoldoutRepeats, options.Seed, maxTrain)
            : KFold.Split(byId.Keys, options.Folds, options.Seed, maxTrain);
        if (options.MaxFolds > 0) folds = folds.Take(options.MaxFolds).ToList();
        var labels = cases.SelectMany(c => Present(c.Labels.Data)).Distinct().Order().ToList();
        var classes = Math.Max(2, cases.Max(c => c.Labels.Data.Max()) + 1);
        var splitText = options.HoldoutTestCases > 0 ? $"{folds.Count} hold-out splits of {options.HoldoutTestCases} test cases" : $"{folds.Count} of {options.Folds} folds";
        log($"evaluate: {cases.Count} labeled cases, {splitText}, {labels.Count} foreground classes, " +
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
        foreach (var arm in options.Supervised.Arms(options.Protocols.Where(ProtocolNames.IsSupervised).Select(ProtocolNames.Auxiliary), classes))
            foreach (var fraction in options.Supervised.LabelFractions)
                RunSupervised(arm, fraction, folds, byId, scores, trainSeconds);

        var arms = scores.Select(s => s.Arm).Distinct().Select(a => Summaries.Summarise(a, scores, labels, options.ClassName, trainSeconds.GetValueOrDefault(a))).ToList();
        return new EvaluationResult(folds, labels, scores, arms, clock.Elapsed.TotalSeconds);
    }

    private void RunFrozen(BackboneSource source, List<Protocol> protocols, IReadOnlyList<FoldSplit> folds, Dictionary<string, LabeledCase> byId,
        int classes, List<CaseScore> scores, Dictionary<string, double> trainSeconds)
    {
        var sw = Stopwatch.StartNew();
        using var backbone = source.Create();
        if (IsDescriptorGrid(backbone) && protocols.Any(p => p != Protocol.Knn))
            throw new ArgumentException($"{source.Name}: a descriptor grid (every {backbone.Levels[0].Stride.X}th voxel) is evaluated by kNN only; drop the linear/non-linear protocols for it");
        backbone.to(device); backbone.eval();
        var needed = folds.SelectMany(f => f.Train.Concat(f.Test)).Distinct().ToList();
        if (source.IsRandom && options.CalibrateRandomBatchNorm)
        {
            var layers = BatchNormCalibration.Calibrate(backbone, needed.Select(id => Scaled(byId[id], protocols[0])).Select(c => (c.Input.Data, c.Shape)), options.Window, device);
            if (layers > 0) log($"{source.Name}: BatchNorm statistics of {layers} layers estimated from {needed.Count} volumes (images only)");
        }
        // Features go to disk as they are computed: memory holds one volume's pyramid (plus the crops of a batch),
        // whatever the number of volumes (a body CT's pyramid alone can be gigabytes).
        using var store = new PyramidStore(Path.Combine(outputDir ?? Path.GetTempPath(), $".features-{Guid.NewGuid():N}"));
        foreach (var id in needed)
        {
            var c = Scaled(byId[id], protocols[0]); // frozen protocols share one pyramid, so one scaling (validated)
            using var pyramid = PyramidExtractor.Extract(backbone, c.Input.Data, c.Shape, options.Window, device);
            store.Add(id, pyramid);
        }
        log($"{source.Name}: features of {needed.Count} volumes in {sw.Elapsed.TotalSeconds:F1} s ({store.BytesOnDisk / (double)(1 << 20):F0} MiB spilled to {store.Directory})");
        foreach (var fold in folds)
            foreach (var protocol in protocols)
            {
                if (protocol == Protocol.Knn) { RunKnn(source, fold, byId, store, scores, trainSeconds); continue; }
                var arm = Arm(protocol, source.Name);
                var t = Stopwatch.StartNew();
                random.manual_seed(options.Seed + fold.Fold);
                var (mean, std) = StandardizedHead.Statistics(Loaded(store, fold.Train));
                using var head = new StandardizedHead(
                    HeadFactory.Create(protocol == Protocol.Linear ? HeadKind.Linear : HeadKind.NonLinear, backbone.OutputChannels, classes), mean, std);
                var steps = FrozenHeadTrainer.Train(head, fold.Train.Select(id => ((IPyramidCrops)store[id], byId[id].Labels)).ToList(),
                    options.Training with { Seed = options.Training.Seed + fold.Fold }, device, Progress(arm, fold, t));
                trainSeconds[arm] = trainSeconds.GetValueOrDefault(arm) + t.Elapsed.TotalSeconds;
                log($"{arm} fold {fold.Fold}: {steps.Count} steps, loss {steps[0].Loss:F3} → {steps[^1].Loss:F3}, {t.Elapsed.TotalSeconds:F1} s");
                foreach (var id in fold.Test)
                {
                    using var pyramid = store[id].Load();
                    scores.Add(Score(arm, protocol, source.Name, fold.Fold, byId[id], Segmenter.Predict(head, pyramid, device)));
                }
                LogFold(arm, fold, scores);
            }
    }

    /// <summary>The stored pyramids of <paramref name="ids"/>, one in memory at a time (each disposed when the next is read).</summary>
    private static IEnumerable<FeaturePyramid> Loaded(PyramidStore store, IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            using var p = store[id].Load();
            yield return p;
        }
    }

    private void RunKnn(BackboneSource source, FoldSplit fold, Dictionary<string, LabeledCase> byId, PyramidStore store,
        List<CaseScore> scores, Dictionary<string, double> trainSeconds)
    {
        foreach (var shots in options.KnnShots.Select(s => Math.Min(s, fold.Train.Count)).Distinct())
        {
            var arm = Arm(Protocol.Knn, source.Name) + $"-{shots}shot";
            var t = Stopwatch.StartNew();
            var shotIds = fold.Train.Take(shots).ToList();
            using var knn = KnnSegmenter.Build(Loaded(store, shotIds).Zip(shotIds, (p, id) => (p, byId[id].Labels.Data)), options.KnnK, options.KnnKeyEvery,
                options.KnnMetric, options.KnnIndex with { Seed = options.Seed + fold.Fold });
            foreach (var id in fold.Test)
            {
                using var pyramid = store[id].Load();
                scores.Add(Score(arm, Protocol.Knn, source.Name, fold.Fold, byId[id], knn.Predict(pyramid, options.KnnQueryEvery)));
            }
            trainSeconds[arm] = trainSeconds.GetValueOrDefault(arm) + t.Elapsed.TotalSeconds;
            log($"{arm} fold {fold.Fold}: {knn.KeyCount} keys, {knn.LastSearch} search, {t.Elapsed.TotalSeconds:F1} s");
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
            if (IsDescriptorGrid(backbone)) throw new ArgumentException($"{source.Name}: a descriptor grid is evaluated by kNN only, not by {ProtocolNames.Name(protocol)}");
            if (!backbone.parameters().Any())
            {
                // A fixed feature baseline (hand-made features): nothing to fine-tune, so the report simply lacks this arm.
                log($"{arm}: skipped, {source.Name} has no parameters to train (its frozen protocols stand for it)");
                return;
            }
            random.manual_seed(options.Seed + fold.Fold);
            using var head = new NonLinearHead(backbone.OutputChannels, classes);
            var o = protocol == Protocol.Scratch ? options.Training with { HeadLr = options.ScratchLr } : options.Training;
            var steps = EndToEndTrainer.Train(backbone, head, fold.Train.Select(id => Scaled(byId[id], protocol)).ToList(), o with { Seed = o.Seed + fold.Fold }, schedule, device,
                Progress(arm, fold, t));
            trainSeconds[arm] = trainSeconds.GetValueOrDefault(arm) + t.Elapsed.TotalSeconds;
            log($"{arm} fold {fold.Fold}: {steps.Count} steps, loss {steps[0].Loss:F3} → {steps[^1].Loss:F3}, {t.Elapsed.TotalSeconds:F1} s");
            foreach (var id in fold.Test)
            {
                var c = byId[id];
                var input = Scaled(c, protocol).Input.Data;
                scores.Add(Score(arm, protocol, source.Name, fold.Fold, c, Segmenter.Predict(backbone, head, input, c.Shape, options.Window, device)));
            }
            LogFold(arm, fold, scores);
        }
    }

    private void RunSupervised(SupervisedArm arm, double fraction, IReadOnlyList<FoldSplit> folds, Dictionary<string, LabeledCase> byId,
        List<CaseScore> scores, Dictionary<string, double> trainSeconds)
    {
        var name = fraction < 1 ? $"{arm.Name}@{fraction * 100:0.#}%" : arm.Name;
        var protocol = ProtocolNames.Supervised(arm.Method.Auxiliary);
        var o = options.Supervised;
        foreach (var fold in folds)
        {
            var t = Stopwatch.StartNew();
            var trainIds = HoldoutSplit.Fraction(fold.Train, fraction);
            var train = trainIds.Select(id => Scaled(byId[id], protocol)).ToList();
            var modality = train[0].Record.Modality;
            var scaling = options.ScalingFor(protocol, modality)!;
            // Runs live under the report folder (resumable, inspectable); without one, in a temporary folder.
            var temp = outputDir is null ? Directory.CreateTempSubdirectory("streaming-supervised-").FullName : null;
            var runDir = Path.Combine(outputDir ?? temp!, "runs", name.Replace("%", "pct").Replace('@', '-'), $"split-{fold.Fold}");
            var seed = options.Seed + 1000 * fold.Fold + 17;
            try
            {
                using var net = SupervisedTraining.Train(arm, train, o, scaling, runDir, seed, options.Device, options.Threads, log);
                net.to(device);
                trainSeconds[name] = trainSeconds.GetValueOrDefault(name) + t.Elapsed.TotalSeconds;
                log($"{name} split {fold.Fold}: {trainIds.Count} training volumes, {o.Steps} steps, {t.Elapsed.TotalSeconds:F1} s");
                var window = o.Patch is { } p ? options.Window with { Window = p } : null;
                foreach (var id in fold.Test)
                {
                    var c = byId[id];
                    scores.Add(Score(name, protocol, "unet", fold.Fold, c, UNetSegmenter.Predict(net, Scaled(c, protocol).Input.Data, c.Shape, window, device)));
                }
            }
            finally
            {
                if (temp is not null) Directory.Delete(temp, recursive: true);
            }
            LogFold(name, fold, scores);
        }
    }

    /// <summary>The case with its input under the protocol's scaling (the case itself when that is the loaded one).</summary>
    private LabeledCase Scaled(LabeledCase c, Protocol p) =>
        options.ScalingFor(p, c.Record.Modality) is { } scaling ? c with { Input = c.ScaledWith(scaling) } : c;

    private static LabeledCase KeepOnly(LabeledCase c, IReadOnlyList<int> keep)
    {
        var map = new byte[256];
        foreach (var l in keep) map[l] = (byte)l;
        var data = Array.ConvertAll(c.Labels.Data, v => map[v]);
        return c with { Labels = new Imaging.Volumes.Volume<byte>(c.Labels.Geometry, data) };
    }

    private CaseScore Score(string arm, Protocol protocol, string backbone, int fold, LabeledCase c, byte[] predicted) =>
        CaseScoring.Score(arm, ProtocolNames.Name(protocol), backbone, fold, c, c.Labels.Data, predicted, options.WritePredictions ? outputDir : null,
            // Repeated hold-out splits test a case more than once: one folder per split, so no split's file replaces another's.
            options.HoldoutTestCases > 0 ? $"split-{fold}" : null);

    private void LogFold(string arm, FoldSplit fold, List<CaseScore> scores)
    {
        var dice = scores.Where(s => s.Arm == arm && s.Fold == fold.Fold).SelectMany(s => s.Classes).Where(m => m.ReferenceVoxels > 0).Select(m => m.Dice).ToList();
        log($"{arm} fold {fold.Fold}: mean Dice {(dice.Count == 0 ? double.NaN : dice.Average()):F3} over {fold.Test.Count} held-out volumes; " +
            $"RSS {MemoryProbe.RssBytes() >> 20} MiB, peak so far {MemoryProbe.PeakRssBytes() >> 20} MiB");
    }

    private Action<TrainStepRecord> Progress(string arm, FoldSplit fold, Stopwatch clock) => r =>
    {
        if ((r.Step + 1) % 100 == 0) log($"{arm} fold {fold.Fold}: step {r.Step + 1}/{options.Training.Steps}, loss {r.Loss:F3}, {clock.Elapsed.TotalSeconds:F0} s");
    };

    /// <summary>
    /// A whole-volume extractor on a coarse grid (the context descriptors, every 4th voxel): probes and fine-tuning
    /// expect a dense pyramid, so it is evaluated by kNN only. A whole-volume extractor at stride 1 (hand-made features)
    /// gives an ordinary full-resolution pyramid and takes every frozen protocol.
    /// </summary>
    private static bool IsDescriptorGrid(FeatureExtractor backbone) =>
        backbone.WholeVolume && backbone.Levels.Any(l => l.Stride != new Imaging.Volumes.Int3(1, 1, 1));

    private static string Arm(Protocol p, string backbone) => $"{ProtocolNames.Name(p)}/{backbone}";

    private static IEnumerable<int> Present(byte[] labels) => CaseScoring.Present(labels);
}
