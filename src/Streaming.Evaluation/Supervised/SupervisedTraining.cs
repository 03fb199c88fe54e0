using Streaming.Evaluation.Data;
using Streaming.Training.Loop;
using Streaming.Training.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Supervised;

/// <summary>
/// Trains one supervised arm on one split's training cases: Adam (lr 1e-3, L2 weight decay 1e-5), polynomial decay
/// lr × (1 - step/steps)^0.9, soft Dice + λ × auxiliary loss. Returns the trained method (its U-Net is what
/// inference uses). Parameter init is a function of <paramref name="seed"/>.
/// </summary>
public static class SupervisedTraining
{
    // TODO(phase B): run through the shared training loop (checkpoints, exact resume, metrics) once the generic seam lands.
    public static VoxelSimSiamMethod Train(SupervisedArm arm, IReadOnlyList<LabeledCase> train, SupervisedOptions o, string? runDir, long seed,
        string deviceName, Device device, Action<string> log)
    {
        var source = new LabeledCaseSource(train, o.BatchSize, o.Patch, o.Multiple, o.ForegroundFraction, seed);
        manual_seed(seed);
        var method = new VoxelSimSiamMethod(arm.Method, seed);
        try
        {
            method.Model.to(device);
            method.Model.train();
            var parameters = method.Model.parameters().ToList();
            using var opt = optim.Adam(parameters, lr: o.LearningRate, beta1: AdamFactory.Beta1, beta2: AdamFactory.Beta2, eps: AdamFactory.Eps, weight_decay: o.WeightDecay);
            for (long step = 0; step < o.Steps; step++)
            {
                using var scope = NewDisposeScope();
                foreach (var g in opt.ParamGroups) g.LearningRate = PolyLr(o.LearningRate, o.PolyPower, step, o.Steps);
                opt.zero_grad();
                var l = method.Forward(source.Batch(step), device);
                var loss = l.Total.item<float>();
                if (!float.IsFinite(loss)) throw new InvalidOperationException($"{arm.Name}: loss {loss} at step {step + 1}");
                l.Total.backward();
                opt.step();
                if ((step + 1) % o.LogEvery == 0)
                    log($"{arm.Name}: step {step + 1}/{o.Steps}, loss {loss:F4} ({string.Join(", ", l.Parts.Select(p => $"{p.Key} {p.Value.item<float>():F4}"))})");
            }
            method.Model.eval();
            return method;
        }
        catch
        {
            method.Dispose();
            throw;
        }
    }

    /// <summary>Polynomial decay (Chen et al.'s "poly"): lr × (1 - step / steps)^power at 0-based step.</summary>
    public static double PolyLr(double lr, double power, long step, long steps) => lr * Math.Pow(1 - (double)step / steps, power);
}
