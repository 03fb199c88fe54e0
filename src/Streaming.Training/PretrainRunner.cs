using System.Runtime.ExceptionServices;
using Streaming.Sampling;
using Streaming.Training.Config;
using Streaming.Training.Logging;
using Streaming.Training.Loop;

namespace Streaming.Training;

/// <summary>Entry point of <c>pretrain</c>: one run in a run directory, on a dedicated training thread.</summary>
public static class PretrainRunner
{
    /// <summary>
    /// Trains <paramref name="config"/>.Steps steps (continuing from the newest checkpoint when
    /// <paramref name="resume"/>), reading batches from <paramref name="openStream"/>(firstStep). SIGINT/SIGTERM or
    /// <paramref name="ct"/> stop after the current step with a checkpoint (status Interrupted). A NaN/Inf loss throws
    /// <see cref="TrainingDivergedException"/> and leaves existing checkpoints as they were.
    /// </summary>
    public static PretrainSummary Run(PretrainConfig config, Func<long, IBatchStream> openStream, bool resume, CancellationToken ct)
        => Run(config with { Progress = config.Progress && !Console.IsErrorRedirected }, openStream, resume, ct, Console.Error);

    public static PretrainSummary Run(PretrainConfig config, Func<long, IBatchStream> openStream, bool resume, CancellationToken ct, TextWriter progressOutput)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(openStream);
        config.Validate();
        var layout = new RunLayout(Path.GetFullPath(config.RunDir));
        // Checked here too (the trainer checks again) so a mistaken fresh start does not overwrite config.yaml.
        if (!resume && new CheckpointStore(layout.Checkpoints, config.KeepCheckpoints).List().Count > 0)
            throw new InvalidOperationException($"{layout.Checkpoints} already holds checkpoints; pass --resume to continue that run or choose a new runDir");
        Directory.CreateDirectory(layout.Root);
        WriteConfig(layout.ConfigFile, config);

        using var signals = new ShutdownSignals(ct);
        using var log = new TrainingLog(layout.Root);
        var progress = new ProgressLine(progressOutput, config.Progress);
        PretrainSummary? summary = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try { summary = new Trainer(config, layout, log, progress).Run(openStream, resume, signals.Token); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        }, maxStackSize: 16 << 20)
        { Name = "pretrain", IsBackground = false };
        thread.Start();
        thread.Join();
        failure?.Throw();
        var s = summary!;
        return signals.Signal is { } sig ? s with { StopReason = $"signal {sig}" } : s;
    }

    private static void WriteConfig(string path, PretrainConfig config)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, "# resolved configuration of this run (defaults filled in)\n" + PretrainConfigLoader.ToYaml(config));
        File.Move(tmp, path, overwrite: true);
    }
}
