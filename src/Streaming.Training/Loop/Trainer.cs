using System.Diagnostics;
using System.Globalization;
using Streaming.Shards.Specs;
using Streaming.Sampling;
using Streaming.Sampling.Sources;
using Streaming.Training.Config;
using Streaming.Training.Export;
using Streaming.Training.Logging;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Loop;

/// <summary>
/// The training loop, for any batch kind. It owns all of the run's resume state: model, optimizer, torch generator,
/// step and the sampler's skip ledger go into every checkpoint, and a resume restores them from the checkpoint alone.
/// Call <see cref="Run"/> on one dedicated thread: torch dispose scopes are thread-static, and each step runs in its
/// own scope so every native tensor of the step is freed when it ends (the GC does not see native memory and would
/// let it pile up).
/// </summary>
internal sealed class Trainer<TBatch>(PretrainConfig cfg, MethodOptions<TBatch> options, PreprocessSpec? spec, RunLayout layout,
    TrainingLog log, ProgressLine progress, Action<string> notice) where TBatch : IBatch
{
    public PretrainSummary Run(Func<long, SkipLedger, IBatchStream<TBatch>> openStream, bool resume, CancellationToken token)
    {
        var device = DeviceSpec.Open(cfg.Device); // first: it loads an outside libtorch when one is configured
        if (cfg.Threads > 0) set_num_threads(cfg.Threads);
        var fingerprint = ConfigFingerprint.Of(cfg);
        var store = new CheckpointStore(layout.Checkpoints, cfg.KeepCheckpoints);

        manual_seed(cfg.Seed); // parameter init is a function of the seed
        using var method = options.CreateMethod();
        long start = 0;
        string? lastCheckpoint = null;
        Checkpoint? resumed = null;
        if (resume)
        {
            var latest = store.LoadLatest(w => log.Event("warning", w, -1))
                         ?? throw new InvalidOperationException($"--resume: no usable checkpoint in {layout.Checkpoints}");
            resumed = latest.Checkpoint;
            if (resumed.Method != options.Name || resumed.ConfigFingerprint != fingerprint)
                throw new InvalidOperationException(
                    $"--resume: {latest.Path} was written by a different configuration (method {resumed.Method}, fingerprint {resumed.ConfigFingerprint}; " +
                    $"now {options.Name}, {fingerprint}); only steps, logging, threads, prefetch, cache root and device may change on resume");
            using (var r = new BinaryReader(new MemoryStream(resumed.ModelState))) method.Model.load(r);
            start = resumed.Step;
            lastCheckpoint = latest.Path;
        }
        else if (store.List().Count > 0)
        {
            throw new InvalidOperationException($"{layout.Checkpoints} already holds checkpoints; pass --resume to continue that run or choose a new runDir");
        }

        method.Model.to(device);
        var parameters = method.Model.parameters().ToList();
        using var optimizer = AdamFactory.Create(parameters, cfg.LearningRate);
        if (resumed is not null)
        {
            using (var r = new BinaryReader(new MemoryStream(resumed.OptimizerState))) optimizer.load_state_dict(r);
            RngState.Restore(resumed.TorchRngState);
        }
        method.Model.train();
        // The skip ledger is resume state: restored from the checkpoint, saved with every checkpoint.
        var ledger = new SkipLedger(resumed?.Skipped);
        ledger.Skipped += v =>
        {
            var text = $"volume {v.VolumeId} skipped from step {v.Step} on: {v.Reason}";
            log.Event("skip", text, v.Step);
            notice($"sampler: {text}");
        };
        log.Event(resume ? "resume" : "start", $"{options.Name} on {cfg.Device}, steps {start}..{cfg.Steps}, fingerprint {fingerprint}, " +
                  $"torch threads {get_num_threads()}, {ledger.Snapshot().Count} volumes in the skip ledger, {MallocNote()}; " +
                  $"precision {((options as VoxelContrastOptions)?.Precision ?? ComputePrecision.Fp32).ToString().ToLowerInvariant()}; {Backend.TorchBackend.Describe()}", start);
        bool onCuda = device.type == DeviceType.CUDA;
        var timer = cfg.StepTiming ? new StepTimer(device) : null;
        using var gpuMemory = onCuda ? new GpuMemorySampler(device.index < 0 ? 0 : device.index, TimeSpan.FromSeconds(10)) : null;

        long completed = start, savedAt = resumed?.Step ?? -1;
        double lastLoss = resumed?.LastLoss ?? double.NaN;
        var clock = Stopwatch.StartNew();
        var window = new MetricsWindow(clock.Elapsed);
        TimeSpan totalWait = TimeSpan.Zero;
        string? stopReason = null;

        using (var stream = openStream(start, ledger))
        {
            for (long step = start; step < cfg.Steps; step++)
            {
                if (token.IsCancellationRequested) { stopReason = "stop requested"; break; }
                var t0 = clock.Elapsed;
                TBatch batch;
                try { batch = stream.Take(token); }
                catch (OperationCanceledException) when (token.IsCancellationRequested) { stopReason = "stop requested"; break; }
                var waited = clock.Elapsed - t0;
                if (batch.Step != step)
                    throw new InvalidDataException($"batch stream returned step {batch.Step} where step {step} was expected; batches must come in step order");

                // TorchSharp 0.107 cannot read or set the default CUDA generator's state (torch.cuda has manual_seed
                // only), so it cannot go into checkpoints; seeding it from (seed, step) before every step makes any
                // CUDA random op a function of the step, the same after a resume.
                if (onCuda) cuda.manual_seed_all(CudaStepSeed(cfg.Seed, step));
                var outcome = TrainStep.Run(method, optimizer, parameters, batch, device, cfg.GradClip, timer);
                if (!outcome.Applied) throw Diverged(step, outcome.Loss, outcome.Parts, lastCheckpoint, savedAt);
                double loss = outcome.Loss;
                var parts = outcome.Parts;
                completed = step + 1;
                lastLoss = loss;
                totalWait += waited;
                window.Add(loss, parts, waited);

                if (completed % cfg.LogEvery == 0 || completed == cfg.Steps)
                {
                    var m = window.Flush(completed, cfg.Steps, cfg.LearningRate, clock.Elapsed, gpuMemory?.Latest) with
                    {
                        GpuPeakBytes = gpuMemory?.Peak,
                        PhaseMs = timer?.Flush(),
                    };
                    log.Metrics(m);
                    progress.Update(m);
                }
                if (completed % cfg.CheckpointEvery == 0)
                {
                    lastCheckpoint = Save(store, method, optimizer, ledger, fingerprint, completed, lastLoss);
                    savedAt = completed;
                }
            }
        }
        progress.Finish();

        if (completed != savedAt)
        {
            lastCheckpoint = Save(store, method, optimizer, ledger, fingerprint, completed, lastLoss);
        }
        string? backboneFile = null;
        var status = completed >= cfg.Steps ? RunStatus.Completed : RunStatus.Interrupted;
        if (status == RunStatus.Completed)
        {
            BackboneExport.Write(layout.BackboneDir, method.Features, BackboneManifest.Create(options, method.Features, completed, spec));
            backboneFile = Path.Combine(layout.BackboneDir, BackboneExport.WeightsFile);
            log.Event("export", backboneFile, completed);
        }
        log.Event(status == RunStatus.Completed ? "completed" : "interrupted", stopReason ?? "all steps done", completed);
        double seconds = clock.Elapsed.TotalSeconds;
        return new PretrainSummary(status, start, completed, cfg.Steps, lastLoss, layout.Root, lastCheckpoint, backboneFile,
            seconds > 0 ? (completed - start) / seconds : 0, seconds > 0 ? totalWait.TotalSeconds / seconds : 0,
            MemoryProbe.PeakRssBytes(), stopReason);
    }

    private string Save(CheckpointStore store, IPretrainMethod<TBatch> method, OptimizerHelper optimizer, SkipLedger ledger, string fingerprint, long step, double loss)
    {
        byte[] model, opt;
        using (var ms = new MemoryStream())
        {
            using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) method.Model.save(w);
            model = ms.ToArray();
        }
        using (var ms = new MemoryStream())
        {
            using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(w);
            opt = ms.ToArray();
        }
        var path = store.Save(new Checkpoint(step, options.Name, fingerprint, cfg.Seed, RngState.Capture(), model, opt, loss, ledger.Snapshot()));
        log.Event("checkpoint", path, step);
        return path;
    }

    private TrainingDivergedException Diverged(long step, double loss, Dictionary<string, double> parts, string? lastCheckpoint, long savedAt)
    {
        var partText = string.Join(", ", parts.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value}")));
        var keep = lastCheckpoint is null
            ? "no checkpoint had been written yet"
            : $"the last good checkpoint is {lastCheckpoint} (step {savedAt}); it was left untouched";
        var msg = FormattableString.Invariant(
            $"training diverged: loss is {loss} at step {step + 1} ({partText}); the run stopped without applying this step; {keep}. ") +
            "Lower the learning rate or check the input data, then resume with --resume.";
        log.Event("diverged", msg, step);
        progress.Finish();
        return new TrainingDivergedException(msg);
    }

    /// <summary>A seed for the CUDA generators at <paramref name="step"/> (SplitMix64 of seed and step).</summary>
    internal static long CudaStepSeed(long seed, long step)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)step + 0x632BE59BD9B4E019UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)((z ^ (z >> 31)) >> 1);
    }

    private static string MallocNote()
    {
        var mmap = Environment.GetEnvironmentVariable("MALLOC_MMAP_MAX_");
        var trim = Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_");
        return mmap is null || trim is null
            ? "MALLOC_MMAP_MAX_/MALLOC_TRIM_THRESHOLD_ not set (CPU steps can be several times slower; see src/Streaming.Training/README.md)"
            : $"MALLOC_MMAP_MAX_={mmap} MALLOC_TRIM_THRESHOLD_={trim}";
    }

    /// <summary>Averages between two log points.</summary>
    private sealed class MetricsWindow(TimeSpan start)
    {
        private int steps;
        private double lossSum;
        private readonly Dictionary<string, double> partSums = [];
        private TimeSpan wait, begin = start;

        public void Add(double loss, Dictionary<string, double> parts, TimeSpan waited)
        {
            steps++; lossSum += loss; wait += waited;
            foreach (var (k, v) in parts) partSums[k] = (partSums.TryGetValue(k, out var s) ? s : 0) + v;
        }

        public StepMetrics Flush(long step, long total, double lr, TimeSpan now, long? gpu)
        {
            double secs = Math.Max((now - begin).TotalSeconds, 1e-9);
            var m = new StepMetrics(step, total, lossSum / steps, partSums.ToDictionary(kv => kv.Key, kv => kv.Value / steps), lr,
                steps / secs, wait.TotalSeconds / secs, MemoryProbe.RssBytes(), MemoryProbe.PeakRssBytes(), gpu, now.TotalSeconds);
            steps = 0; lossSum = 0; partSums.Clear(); wait = TimeSpan.Zero; begin = now;
            return m;
        }
    }
}
