using Streaming.Sampling;
using Streaming.Training.Methods;

namespace Streaming.Training.Config;

/// <summary>
/// Everything a pre-training run needs: the method (a typed record with its model, loss and sampling settings) and
/// the loop's settings. Immutable; the defaults here and in the method records are the only ones (YAML loaders map
/// keys onto them, see <see cref="PretrainConfigLoader"/>); validated there, so the trainer can trust it.
/// </summary>
public sealed record PretrainConfig
{
    public MethodOptions Method { get; init; } = new Vox2VecOptions();
    /// <summary><c>cpu</c> (default), <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Seed of parameter initialisation and (unless the method's sampling sets its own) of the batch keys.</summary>
    public long Seed { get; init; }
    /// <summary>torch intra-op threads; 0 = the CPUs really available (affinity mask, cgroup quota; see Runtime/CpuBudget).</summary>
    public int Threads { get; init; }
    public long Steps { get; init; } = 100_000;
    public long CheckpointEvery { get; init; } = 1000;
    public int KeepCheckpoints { get; init; } = 3;
    public int LogEvery { get; init; } = 10;
    public double LearningRate { get; init; } = 3e-4;
    /// <summary>Max global gradient norm; 0 disables clipping. Our addition, in neither paper: it guards the first steps
    /// of a from-scratch run against a rare exploding InfoNCE gradient; set 0 to train exactly as the papers do.</summary>
    public double GradClip { get; init; } = 1.0;
    /// <summary>Adam's L2 weight decay (PyTorch Adam's weight_decay: added to the gradient); 0 = none.</summary>
    public double WeightDecay { get; init; }
    public LrSchedule LrSchedule { get; init; } = LrSchedule.Constant;
    /// <summary>Exponent of the poly schedule.</summary>
    public double PolyPower { get; init; } = 0.9;
    public string RunDir { get; init; } = "runs/pretrain";
    /// <summary>Shard cache root and the preprocessing spec whose cache key the run reads (recorded in backbone.json).</summary>
    public string CacheDir { get; init; } = "cache";
    public string? CacheSpec { get; init; }
    public PrefetchOptions Prefetch { get; init; } = new();
    /// <summary>Per-phase step times in metrics.jsonl (<see cref="Logging.StepTimer"/>); on CUDA it synchronises the device at
    /// every phase boundary, so it slows training: use it for a short profiling run.</summary>
    public bool StepTiming { get; init; }
    /// <summary>
    /// Show progress on stderr: a rewritten one-line display on a terminal, otherwise (Slurm, nohup, <c>2&gt;log</c>)
    /// a plain line every <see cref="ProgressSeconds"/>.
    /// </summary>
    public bool Progress { get; init; } = true;
    /// <summary>Seconds between plain progress lines when stderr is not a terminal.</summary>
    public double ProgressSeconds { get; init; } = 10;

    /// <summary>The learning rate of 0-based <paramref name="step"/> under <see cref="LrSchedule"/>.</summary>
    public double LearningRateAt(long step) => LrSchedule == LrSchedule.Poly
        ? LearningRate * Math.Pow(Math.Max(0, 1 - (double)step / Steps), PolyPower)
        : LearningRate;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Method);
        Method.Validate();
        Prefetch.Validate();
        DeviceSpec.Parse(Device);
        if (Steps < 1) throw new ArgumentException("steps must be >= 1");
        if (CheckpointEvery < 1) throw new ArgumentException("checkpointEvery must be >= 1");
        if (KeepCheckpoints < 1) throw new ArgumentException("keepCheckpoints must be >= 1");
        if (LogEvery < 1) throw new ArgumentException("logEvery must be >= 1");
        if (!(ProgressSeconds >= 0) || !double.IsFinite(ProgressSeconds)) throw new ArgumentException("progressSeconds must be >= 0");
        if (Threads < 0) throw new ArgumentException("threads must be >= 0");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException("lr must be a positive finite number");
        if (!(GradClip >= 0) || !double.IsFinite(GradClip)) throw new ArgumentException("gradClip must be >= 0 (0 = off)");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw new ArgumentException("weightDecay must be a finite number >= 0");
        if (!Enum.IsDefined(LrSchedule)) throw new ArgumentException($"unknown lrSchedule {LrSchedule}");
        if (!(PolyPower >= 0) || !double.IsFinite(PolyPower)) throw new ArgumentException("polyPower must be a finite number >= 0");
        if (string.IsNullOrWhiteSpace(RunDir)) throw new ArgumentException("runDir must be set");
        if (string.IsNullOrWhiteSpace(CacheDir)) throw new ArgumentException("cache.dir must be set");
    }
}
