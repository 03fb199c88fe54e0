using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Streaming.Shards.Cache;
using Streaming.Shards.Specs;
using Streaming.Sampling;
using Streaming.Sampling.FromCache;
using Streaming.Sampling.Sources;
using Streaming.Training.Config;
using Streaming.Training.Logging;
using Streaming.Training.Loop;
using Streaming.Training.Methods;
using Streaming.Training.Runtime;

namespace Streaming.Training;

/// <summary>Entry point of <c>pretrain</c>: one run in a run directory, on a dedicated training thread.</summary>
public static class PretrainRunner
{
    /// <summary>
    /// The production run: batches of <paramref name="config"/>'s method from the shard cache of its spec
    /// (<c>cache.dir</c>, <c>cache.spec</c>), prefetched; the spec is recorded in backbone.json as the model's input
    /// contract. <paramref name="output"/> gets the progress line (null = stderr); <paramref name="log"/> gets the
    /// opening line and notices such as skipped volumes (null = <paramref name="output"/>).
    /// </summary>
    /// <remarks>
    /// Before anything is read, the run's peak memory is estimated from the config (<see cref="PretrainMemory"/>) and
    /// checked against the machine's limit (cgroup-aware, <see cref="MemoryLimit"/>): a run that cannot fit is refused
    /// with <see cref="MemoryEstimateException"/> unless <paramref name="forceMemory"/>.
    /// </remarks>
    public static PretrainSummary Run(PretrainConfig config, bool resume, CancellationToken ct, TextWriter? output = null, Action<string>? log = null,
        Action<PretrainAbandoned>? abandoned = null, bool forceMemory = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var specPath = config.CacheSpec ?? throw new ArgumentException("the config names no cache.spec (the preprocessing spec whose cache it reads)");
        var spec = SpecLoader.Load(specPath);
        var set = CacheVolumeSet.Open(config.CacheDir, specPath);
        var writer = output ?? Console.Error;
        var say = log ?? writer.WriteLine;
        say($"pretrain: {config.Method.Name} on {set.Volumes.Count} volumes from {set.KeyDir} ({spec.Name})");
        MemoryCheck.Require("pretrain", PretrainMemory.Of(config, spec.Shard.ChunkShape, set.Volumes.Count), MemoryLimit.Read(), forceMemory,
            "reduce sampling.patchShape, sampling.volumesPerBatch or prefetch.capacity/workers", say);
        return config.Method.Accept(new FromCache(config, set, spec, resume, ct, writer, output is null, say, abandoned));
    }

    /// <summary>
    /// Trains <paramref name="config"/>.Steps steps (continuing from the newest checkpoint when
    /// <paramref name="resume"/>), reading batches from <paramref name="openStream"/>(firstStep, skipLedger): the
    /// stream's source must record corrupt volumes in the ledger it is given (the loop checkpoints it). SIGINT/SIGTERM
    /// or <paramref name="ct"/> stop after the current step with a checkpoint (status Interrupted). A NaN/Inf loss
    /// throws <see cref="TrainingDivergedException"/> and leaves existing checkpoints as they were.
    /// <paramref name="spec"/> (when known) goes into backbone.json; <paramref name="notice"/> gets lines such as skipped
    /// volumes (null = <paramref name="progressOutput"/>). With <paramref name="interactive"/> the progress is one
    /// rewritten line on <paramref name="progressOutput"/>; otherwise a plain line through <paramref name="notice"/> every
    /// <c>progressSeconds</c>. A second SIGINT/SIGTERM abandons the run at once: a checkpoint write in flight is
    /// finished, the step is not, <paramref name="abandoned"/> is told (after the notice line) and the process ends with
    /// exit code <see cref="AbandonedExitCode"/>.
    /// </summary>
    public static PretrainSummary Run<TBatch>(PretrainConfig config, Func<long, SkipLedger, IBatchStream<TBatch>> openStream, bool resume,
        CancellationToken ct, TextWriter progressOutput, PreprocessSpec? spec = null, Action<string>? notice = null,
        Action<PretrainAbandoned>? abandoned = null, bool interactive = false) where TBatch : IBatch
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(openStream);
        config.Validate();
        var method = config.Method as MethodOptions<TBatch>
            ?? throw new ArgumentException($"method {config.Method.Name} does not train on {typeof(TBatch).Name} batches");
        var layout = new RunLayout(Path.GetFullPath(config.RunDir));
        // Checked here too (the trainer checks again) so a mistaken fresh start does not overwrite config.yaml.
        if (!resume && new CheckpointStore(layout.Checkpoints, config.KeepCheckpoints).List().Count > 0)
            throw new InvalidOperationException($"{layout.Checkpoints} already holds checkpoints; pass --resume to continue that run or choose a new runDir");
        Directory.CreateDirectory(layout.Root);
        WriteConfig(layout.ConfigFile, config);

        using var log = new TrainingLog(layout.Root);
        ProgressLine? progress = null;
        void Notice(string line)
        {
            progress?.Finish();
            (notice ?? progressOutput.WriteLine)(line);
        }
        var gate = new WriteGate();
        using var signals = new ShutdownSignals(ct, sig => Abandon(sig, gate, log, Notice, abandoned, ProcessExit.Now));
        progress = new ProgressLine(progressOutput, config.Progress, interactive, TimeSpan.FromSeconds(config.ProgressSeconds), notice ?? progressOutput.WriteLine);
        PretrainSummary? summary = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try { summary = new Trainer<TBatch>(config, method, spec, layout, log, progress, Notice, gate).Run(openStream, resume, signals.Token); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        }, maxStackSize: 16 << 20)
        { Name = "pretrain", IsBackground = false };
        thread.Start();
        thread.Join();
        failure?.Throw();
        var s = summary!;
        return signals.Signal is { } sig ? s with { StopReason = $"signal {sig}" } : s;
    }

    /// <summary>Exit code of a run abandoned by a second signal (the same as a graceful stop: interrupted, resumable).</summary>
    public const int AbandonedExitCode = 3;

    /// <summary>Longest wait for a checkpoint write in flight before a second signal ends the process anyway.</summary>
    internal static readonly TimeSpan AbandonWriteWait = TimeSpan.FromSeconds(60);

    /// <summary>What a second signal does: wait for a write in flight, say where a resume continues, end the process.</summary>
    internal static void Abandon(PosixSignal signal, WriteGate gate, TrainingLog log, Action<string> notice, Action<PretrainAbandoned>? abandoned, Action<int> exit)
    {
        var (checkpoint, step, inTime) = gate.Close(AbandonWriteWait);
        var where = checkpoint is null
            ? "no checkpoint had been written yet; a rerun starts over"
            : $"--resume continues from {checkpoint} (step {step})";
        var late = inTime ? "" : $" (a checkpoint write did not finish within {AbandonWriteWait.TotalSeconds:F0} s; it was left as a temp file)";
        var text = $"pretrain: second {signal}: stopped at once without finishing the step{late}; {where}";
        log.Event("abandoned", text, step);
        notice(text);
        abandoned?.Invoke(new PretrainAbandoned(signal.ToString(), checkpoint, step));
        exit(AbandonedExitCode);
    }

    private static void WriteConfig(string path, PretrainConfig config) =>
        JsonLines.WriteAtomically(path, [PretrainConfigLoader.ToYaml(config, "resolved configuration of this run (defaults filled in)").TrimEnd('\n')]);

    /// <summary>Binds the method's batch type and streams its batches from the cache.</summary>
    private sealed class FromCache(PretrainConfig config, CacheVolumeSet set, PreprocessSpec spec, bool resume, CancellationToken ct,
        TextWriter writer, bool toStderr, Action<string> notice, Action<PretrainAbandoned>? abandoned) : IMethodVisitor<PretrainSummary>
    {
        public PretrainSummary Visit<TBatch>(MethodOptions<TBatch> method) where TBatch : IBatch
        {
            // The rewritten one-line display only on a terminal; plain lines otherwise (the config keeps what the user wrote).
            var interactive = toStderr && !Console.IsErrorRedirected;
            return Run(config, (start, ledger) => CacheBatchStreams.Open(method.CreateSource(set.Volumes, set.Open, config.Seed, ledger), config.Prefetch, start),
                resume, ct, writer, spec, notice, abandoned, interactive);
        }
    }
}
