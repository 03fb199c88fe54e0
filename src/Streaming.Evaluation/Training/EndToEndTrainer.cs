using Streaming.Evaluation.Data;
using Streaming.Evaluation.Heads;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Training;

/// <summary>
/// Trains backbone and head together on image patches: fine-tuning (backbone frozen, then unfrozen with a rising
/// learning rate, <see cref="BackboneSchedule.FineTune"/>) and from-scratch training (<see cref="BackboneSchedule.Constant"/>).
/// While frozen the backbone runs in eval mode without gradients (its batch-norm statistics stay as pre-trained).
/// </summary>
public static class EndToEndTrainer
{
    public static IReadOnlyList<TrainStepRecord> Train(FeatureExtractor backbone, SegmentationHead head, IReadOnlyList<LabeledCase> cases,
        HeadTrainingOptions o, BackboneSchedule schedule, Device device, Action<TrainStepRecord>? onStep = null)
    {
        o.Validate();
        schedule.Validate();
        if (cases.Count == 0) throw new ArgumentException("no training cases");
        var stride = backbone.Alignment;
        var train = cases.Select(c => new TrainingCase(c.Labels, PaddedShape(c.Shape, stride), o.ForegroundFraction, c.Input.Data)).ToList();
        try
        {
            var patch = TrainingCase.FitPatch(o.Patch, stride, train.Select(c => c.Padded));
            var rng = new Random(unchecked((int)o.Seed) ^ 0x7e11);
            backbone.to(device); head.to(device);
            head.train();
            using var headOpt = new KeptScalarAdam(head.parameters(), o.HeadLr);
            using var backboneOpt = new KeptScalarAdam(backbone.parameters(), schedule.StartLr);
            var log = new List<TrainStepRecord>(o.Steps);
            for (long step = 0; step < o.Steps; step++)
            {
                using var scope = NewDisposeScope();
                var frozen = schedule.IsFrozen(step);
                var lr = schedule.LearningRate(step);
                SetTrainable(backbone, !frozen);
                backboneOpt.LearningRate = frozen ? schedule.StartLr : lr;
                var inputs = new List<Tensor>(); var targets = new List<Tensor>();
                for (var b = 0; b < o.BatchSize; b++)
                {
                    var i = rng.Next(train.Count);
                    var origin = train[i].Sampler.Next(rng, patch, stride);
                    inputs.Add(TrainingCase.Crop(train[i].Input!, origin, patch));
                    targets.Add(TrainingCase.Crop(train[i].Labels, origin, patch));
                }
                var x = stack(inputs).to(device);
                var y = stack(targets).to(device);
                headOpt.ZeroGrad(); backboneOpt.ZeroGrad();
                Tensor[] pyramid;
                if (frozen) using (no_grad()) pyramid = backbone.forward(x);
                else pyramid = backbone.forward(x);
                var loss = SegmentationLoss.DiceCrossEntropy(head.forward(pyramid), y);
                loss.backward();
                headOpt.Step();
                if (!frozen) backboneOpt.Step();
                var rec = new TrainStepRecord(step, loss.item<float>(), frozen, lr);
                log.Add(rec);
                onStep?.Invoke(rec);
            }
            backbone.eval(); head.eval();
            SetTrainable(backbone, true);
            return log;
        }
        finally
        {
            foreach (var c in train) c.Dispose();
        }
    }

    private static void SetTrainable(FeatureExtractor backbone, bool trainable)
    {
        if (trainable) backbone.train(); else backbone.eval();
        foreach (var p in backbone.parameters()) p.requires_grad = trainable;
    }

    internal static Imaging.Volumes.Int3 PaddedShape(Imaging.Volumes.Int3 s, Imaging.Volumes.Int3 stride) =>
        new((s.X + stride.X - 1) / stride.X * stride.X, (s.Y + stride.Y - 1) / stride.Y * stride.Y, (s.Z + stride.Z - 1) / stride.Z * stride.Z);
}
