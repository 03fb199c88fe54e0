using Streaming.Evaluation.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Slices;

/// <summary>
/// Fine-tunes the whole 2-D U-Net (encoder, decoder and classifier at one learning rate, as SAL's protocol does)
/// with Adam on axial slices of the labeled cases: per slice a case drawn uniformly, then with probability
/// ForegroundFraction a slice showing a foreground class (class drawn uniformly among the case's), else any slice,
/// then (with a patch size) a crop placed uniformly in it.
/// Loss: cross-entropy + soft Dice (<see cref="SegmentationLoss"/>). Deterministic for a seed on CPU.
/// </summary>
public static class SliceFineTuner
{
    internal static IReadOnlyList<TrainStepRecord> Train(SliceSegmenter net, IReadOnlyList<SliceCase> cases, SliceFineTuneOptions o, long seed,
        Device device, Action<TrainStepRecord>? onStep = null)
    {
        if (cases.Count == 0) throw new ArgumentException("no labeled cases to fine-tune on");
        var (h, w) = SliceTensors.CommonPlane(cases.Select(c => c.Shape), o.Model.SizeMultiple);
        var inputs = cases.Select(c => SliceTensors.Input(c.Case.Input.Data, c.Shape, h, w)).ToList();
        var labels = cases.Select(c => SliceTensors.Labels(c.Labels, c.Shape, h, w)).ToList();
        try
        {
            var rng = new Random(unchecked((int)(seed ^ (seed >> 32))) ^ 0x511CE);
            net.to(device);
            net.train();
            using var opt = new KeptScalarAdam(net.parameters(), o.LearningRate);
            var log = new List<TrainStepRecord>(o.Steps);
            var index = new long[o.BatchSize];
            for (long step = 0; step < o.Steps; step++)
            {
                using var scope = NewDisposeScope();
                var xs = new Tensor[o.BatchSize];
                var ys = new Tensor[o.BatchSize];
                for (var b = 0; b < o.BatchSize; b++)
                {
                    var i = rng.Next(cases.Count);
                    var z = DrawSlice(cases[i], o.ForegroundFraction, rng);
                    // A crop placed uniformly in the padded slice (the whole slice when no patch is set).
                    int px = Math.Min(o.Patch?.X ?? w, w), py = Math.Min(o.Patch?.Y ?? h, h);
                    int x0 = rng.Next(w - px + 1), y0 = rng.Next(h - py + 1);
                    xs[b] = inputs[i][z].narrow(1, y0, py).narrow(2, x0, px);
                    ys[b] = labels[i][z].narrow(0, y0, py).narrow(1, x0, px);
                }
                var x = stack(xs).to(device);
                var y = stack(ys).to(device);
                opt.ZeroGrad();
                var loss = SegmentationLoss.DiceCrossEntropy(net.forward(x), y);
                loss.backward();
                opt.Step();
                var rec = new TrainStepRecord(step, loss.item<float>(), false, o.LearningRate);
                log.Add(rec);
                onStep?.Invoke(rec);
            }
            net.eval();
            return log;
        }
        finally
        {
            foreach (var t in inputs.Concat(labels)) t.Dispose();
        }
    }

    internal static int DrawSlice(SliceCase c, double foregroundFraction, Random rng)
    {
        if (c.SlicesOf.Length > 0 && rng.NextDouble() < foregroundFraction)
        {
            var slices = c.SlicesOf[rng.Next(c.SlicesOf.Length)];
            return slices[rng.Next(slices.Length)];
        }
        return rng.Next(c.Shape.Z);
    }
}
