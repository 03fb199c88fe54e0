using System.Runtime.ExceptionServices;
using Streaming.Shards.Cache;
using Streaming.Shards.Specs;
using Streaming.Sampling;
using Streaming.Sampling.FromCache;
using Streaming.Sampling.Sources;
using Streaming.Training.Config;
using Streaming.Training.Logging;
using Streaming.Training.Loop;
using Streaming.Training.Methods;

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
    public static PretrainSummary Run(PretrainConfig config, bool resume, CancellationToken ct, TextWriter? output = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var specPath = config.CacheSpec ?? throw new ArgumentException("the config names no cache.spec (the preprocessing spec whose cache it reads)");
        var spec = SpecLoader.Load(specPath);
        var set = CacheVolumeSet.Open(config.CacheDir, specPath);
        var writer = output ?? Console.Error;
        var say = log ?? writer.WriteLine;
        say($"pretrain: {config.Method.Name} on {set.Volumes.Count} volumes from {set.KeyDir} ({spec.Name})");
        return config.Method.Accept(new FromCache(config, set, spec, resume, ct, writer, output is null, say));
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
    /// <c>progressSeconds</c>.
    /// </summary>
    public static PretrainSummary Run<TBatch>(PretrainConfig config, Func<long, SkipLedger, IBatchStream<TBatch>> openStream, bool resume,
        CancellationToken ct, TextWriter progressOutput, PreprocessSpec? spec = null, Action<string>? notice = null, bool interactive = false) where TBatch : IBatch
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

        using var signals = new ShutdownSignals(ct);
        using var log = new TrainingLog(layout.Root);
        ProgressLine? progress = null;
        void Notice(string line)
        {
            progress?.Finish();
            (notice ?? progressOutput.WriteLine)(line);
        }
        progress = new ProgressLine(progressOutput, config.Progress, interactive, TimeSpan.FromSeconds(config.ProgressSeconds), notice ?? progressOutput.WriteLine);
        PretrainSummary? summary = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try { summary = new Trainer<TBatch>(config, method, spec, layout, log, progress, Notice).Run(openStream, resume, signals.Token); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        }, maxStackSize: 16 << 20)
        { Name = "pretrain", IsBackground = false };
        thread.Start();
        thread.Join();
        failure?.Throw();
        var s = summary!;
        return signals.Signal is { } sig ? s with { StopReason = $"signal {sig}" } : s;
    }

    private static void WriteConfig(string path, PretrainConfig config) =>
        JsonLines.WriteAtomically(path, [PretrainConfigLoader.ToYaml(config, "resolved configuration of this run (defaults filled in)").TrimEnd('\n')]);

    /// <summary>Binds the method's batch type and streams its batches from the cache.</summary>
    private sealed class FromCache(PretrainConfig config, CacheVolumeSet set, PreprocessSpec spec, bool resume, CancellationToken ct,
        TextWriter writer, bool toStderr, Action<string> notice) : IMethodVisitor<PretrainSummary>
    {
        public PretrainSummary Visit<TBatch>(MethodOptions<TBatch> method) where TBatch : IBatch
        {
            // The rewritten one-line display only on a terminal; plain lines otherwise (the config keeps what the user wrote).
            var interactive = toStderr && !Console.IsErrorRedirected;
            return Run(config, (start, ledger) => CacheBatchStreams.Open(method.CreateSource(set.Volumes, set.Open, config.Seed, ledger), config.Prefetch, start),
                resume, ct, writer, spec, notice, interactive);
        }
    }
}
