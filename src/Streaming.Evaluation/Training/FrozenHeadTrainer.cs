using Streaming.Evaluation.Features;
using Streaming.Imaging.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Training;

/// <summary>
/// Trains a head on a frozen backbone (linear and non-linear probing). The backbone never changes, so its pyramid is
/// computed once per volume (sliding window) and patches are cropped from the cached levels: each step costs only the
/// head, which is what makes probing affordable on a CPU.
/// </summary>
public static class FrozenHeadTrainer
{
    public static IReadOnlyList<TrainStepRecord> Train(Heads.SegmentationHead head, IReadOnlyList<(IPyramidCrops Pyramid, Volume<byte> Labels)> cases,
        HeadTrainingOptions o, Device device, Action<TrainStepRecord>? onStep = null)
    {
        o.Validate();
        if (cases.Count == 0) throw new ArgumentException("no training cases");
        var stride = cases[0].Pyramid.Alignment;
        var train = cases.Select(c => new TrainingCase(c.Labels, c.Pyramid.PaddedShape, o.ForegroundFraction)).ToList();
        try
        {
            var patch = TrainingCase.FitPatch(o.Patch, stride, train.Select(c => c.Padded));
            var rng = new Random(unchecked((int)o.Seed) ^ 0x5eed);
            head.to(device);
            head.train();
            using var opt = new KeptScalarAdam(head.parameters(), o.HeadLr); // no implicit Scalars left to the finaliser
            var log = new List<TrainStepRecord>(o.Steps);
            for (var step = 0; step < o.Steps; step++)
            {
                using var scope = NewDisposeScope();
                var levels = new List<Tensor>[cases[0].Pyramid.LevelCount];
                for (var l = 0; l < levels.Length; l++) levels[l] = [];
                var targets = new List<Tensor>();
                for (var b = 0; b < o.BatchSize; b++)
                {
                    var i = rng.Next(train.Count);
                    var origin = train[i].Sampler.Next(rng, patch, stride);
                    var crop = cases[i].Pyramid.Crop(origin, patch);
                    for (var l = 0; l < crop.Length; l++) levels[l].Add(crop[l]);
                    targets.Add(TrainingCase.Crop(train[i].Labels, origin, patch));
                }
                var x = levels.Select(ls => stack(ls).to(device)).ToArray();
                var y = stack(targets).to(device);
                opt.ZeroGrad();
                var loss = SegmentationLoss.DiceCrossEntropy(head.forward(x), y);
                loss.backward();
                opt.Step();
                var rec = new TrainStepRecord(step, loss.item<float>(), true, 0);
                log.Add(rec);
                onStep?.Invoke(rec);
            }
            head.eval();
            return log;
        }
        finally
        {
            foreach (var c in train) c.Dispose();
        }
    }
}
