using Streaming.Sampling;
using Streaming.Training.Logging;
using Streaming.Training.Methods;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Loop;

/// <summary>Result of one optimisation step; <see cref="Applied"/> is false when the loss was not finite.</summary>
public readonly record struct StepOutcome(double Loss, Dictionary<string, double> Parts, bool Applied);

/// <summary>One optimisation step in its own dispose scope (shared by the trainer and the benchmark).</summary>
public static class TrainStep
{
    /// <summary>
    /// Forward, loss, and, if the loss is finite, backward, gradient clipping (global L2 norm, 0 = off) and the
    /// optimizer update. Every tensor made here is freed before returning.
    /// </summary>
    /// <param name="timer">When set (<c>stepTiming: true</c>), phase times go to it (see <see cref="StepTimer"/>).</param>
    public static StepOutcome Run<TBatch>(IPretrainMethod<TBatch> method, OptimizerHelper optimizer, IList<Parameter> parameters,
        TBatch batch, Device device, double gradClip, StepTimer? timer = null) where TBatch : IBatch
    {
        using var scope = NewDisposeScope();
        using var timing = timer?.Step();
        optimizer.zero_grad();
        StepTimer.Mark("zero_grad");
        var l = method.Forward(batch, device);   // marks h2d, forward and the loss inside
        double loss = l.Total.item<float>();
        var parts = l.Parts.ToDictionary(kv => kv.Key, kv => (double)kv.Value.item<float>());
        if (!double.IsFinite(loss)) return new StepOutcome(loss, parts, false);
        l.Total.backward();
        StepTimer.Mark("backward");
        if (gradClip > 0) nn.utils.clip_grad_norm_(parameters, gradClip);
        StepTimer.Mark("clip");
        optimizer.step();
        StepTimer.Mark("optimizer");
        return new StepOutcome(loss, parts, true);
    }
}
