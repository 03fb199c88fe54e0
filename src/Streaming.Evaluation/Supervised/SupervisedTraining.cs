using Streaming.Evaluation.Data;
using Streaming.Sampling;
using Streaming.Sampling.Labeled;
using Streaming.Training;
using Streaming.Training.Config;
using Streaming.Training.Data;
using Streaming.Training.Export;
using Streaming.Training.Loop;
using Streaming.Training.Methods;
using Streaming.Training.Models;

namespace Streaming.Evaluation.Supervised;

/// <summary>
/// Trains one supervised arm on one split's training cases through the shared training loop
/// (<see cref="PretrainRunner.Run{TBatch}"/>): Adam (lr 1e-3, L2 weight decay 1e-5) with poly decay 0.9, soft Dice +
/// λ × auxiliary loss, checkpoints in the run directory, and the U-Net exported there (backbone.json +
/// backbone.safetensors, with the input window it was trained on). A run directory whose export is complete for the
/// same configuration is reused; one with checkpoints of it is resumed exactly; one from another configuration is
/// refused. So an interrupted study continues where it stopped when the same command runs again.
/// </summary>
public static class SupervisedTraining
{
    public static CicekUNet3d Train(SupervisedArm arm, IReadOnlyList<LabeledCase> train, SupervisedOptions o, InputScaling scaling, string runDir,
        long seed, string device, int threads, Action<string> log)
    {
        var source = new LabeledCaseSource(train, o.BatchSize, o.Patch, o.Multiple, o.ForegroundFraction, seed);
        var cfg = Config(arm, o, scaling, source.ItemShape, runDir, seed, device, threads);
        var layout = new RunLayout(Path.GetFullPath(runDir));
        var store = new CheckpointStore(layout.Checkpoints, cfg.KeepCheckpoints);
        var latest = store.List().Count > 0 ? store.LoadLatest(w => log($"{arm.Name}: {w}")) : null;
        if (latest is { } l && l.Checkpoint.ConfigFingerprint != ConfigFingerprint.Of(cfg))
            throw new InvalidOperationException($"{runDir} holds a run of another configuration (fingerprint {l.Checkpoint.ConfigFingerprint}); " +
                                                "use another output folder or remove it");
        var done = latest is { } c && c.Checkpoint.Step >= o.Steps && File.Exists(Path.Combine(layout.BackboneDir, BackboneExport.ManifestFile));
        if (done) log($"{arm.Name}: reusing the finished run in {runDir}");
        else
        {
            if (latest is { } r) log($"{arm.Name}: resuming {runDir} at step {r.Checkpoint.Step}");
            var summary = PretrainRunner.Run<LabeledBatch>(cfg, (start, _) => new SourceBatchStream<LabeledBatch>(source, start), resume: latest is not null,
                CancellationToken.None, TextWriter.Null);
            if (summary.Status != RunStatus.Completed)
                throw new OperationCanceledException($"{arm.Name}: training stopped at step {summary.EndStep} ({summary.StopReason}); " +
                                                     "run the same command again to resume from its checkpoint");
            log($"{arm.Name}: {summary.EndStep - summary.StartStep} steps, last loss {summary.LastLoss:F4}, {summary.StepsPerSecond:F2} steps/s");
        }
        var (features, _) = BackboneExport.Read(layout.BackboneDir);
        return (CicekUNet3d)features;
    }

    /// <summary>The loop settings of one arm: the method with the batches it is given recorded as its sampling, the paper's optimiser.</summary>
    public static PretrainConfig Config(SupervisedArm arm, SupervisedOptions o, InputScaling scaling, Imaging.Volumes.Int3 item, string runDir, long seed,
        string device, int threads) => new()
        {
            Method = arm.Method with
            {
                Sampling = arm.Method.Sampling with
                {
                    VolumesPerBatch = o.BatchSize,
                    PatchShape = item,
                    ForegroundFraction = o.ForegroundFraction,
                    InputScaling = scaling,
                    Seed = seed,
                },
            },
            Device = device, Seed = seed, Threads = threads, Steps = o.Steps, CheckpointEvery = o.CheckpointEvery, KeepCheckpoints = 2,
            LogEvery = o.LogEvery, LearningRate = o.LearningRate, WeightDecay = o.WeightDecay, LrSchedule = LrSchedule.Poly, PolyPower = o.PolyPower,
            GradClip = 0, RunDir = runDir, Progress = false,
        };
}
