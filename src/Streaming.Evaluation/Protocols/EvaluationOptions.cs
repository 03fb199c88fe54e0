using Streaming.Evaluation.Features;
using Streaming.Evaluation.Supervised;
using Streaming.Evaluation.Training;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;

namespace Streaming.Evaluation.Protocols;

/// <summary>Everything an evaluation run needs besides the cases and backbones. Immutable; validated by the runner.</summary>
public sealed record EvaluationOptions
{
    public IReadOnlyList<Protocol> Protocols { get; init; } = [Protocol.Linear];
    /// <summary>k of the k-fold split (every case is scored once, by the fold that holds it out).</summary>
    public int Folds { get; init; } = 3;
    /// <summary>Instead of k folds: repeated hold-out splits with this many test cases (0 = k-fold).</summary>
    public int HoldoutTestCases { get; init; }
    /// <summary>Hold-out only: number of splits, split r shuffled with seed + r (reported like folds: mean ± std over splits).</summary>
    public int HoldoutRepeats { get; init; } = 3;
    /// <summary>Label ids kept as classes (others become background 0); empty = every label of the cache.</summary>
    public IReadOnlyList<int> KeepLabels { get; init; } = [];
    /// <summary>Input scaling per protocol where it differs from the default (<see cref="ScalingFor"/>); identity = as cached.</summary>
    public IReadOnlyDictionary<Protocol, InputScaling> InputScaling { get; init; } = new Dictionary<Protocol, InputScaling>();
    /// <summary>The supervised protocols (unet, simsiam, scl).</summary>
    public SupervisedOptions Supervised { get; init; } = new();
    /// <summary>Only the first N folds are run (0 = all); a quick look without changing which cases are held out.</summary>
    public int MaxFolds { get; init; }
    /// <summary>Cap on training cases per fold (0 = all the fold's training cases).</summary>
    public int MaxTrainCases { get; init; }
    public long Seed { get; init; }
    public HeadTrainingOptions Training { get; init; } = new();
    public SlidingWindow Window { get; init; } = new();
    /// <summary>Fine-tuning: steps with the backbone frozen before its learning rate ramp starts.</summary>
    public long FreezeSteps { get; init; } = 100;
    /// <summary>From scratch: learning rate of backbone and head.</summary>
    public double ScratchLr { get; init; } = 3e-4;
    public int KnnK { get; init; } = 21;
    public int KnnKeyEvery { get; init; } = 4;
    /// <summary>kNN labeled-volume counts (one-shot = 1, few-shot up to 9); each capped by the fold's training cases.</summary>
    public IReadOnlyList<int> KnnShots { get; init; } = [1];
    public int KnnQueryEvery { get; init; } = 1;
    /// <summary>kNN distance: Euclidean (the paper's) or cosine.</summary>
    public Knn.KnnMetric KnnMetric { get; init; } = Knn.KnnMetric.Euclidean;
    /// <summary>kNN search: exact, IVF approximate, or auto (exact while cheap).</summary>
    public Knn.NeighbourIndexOptions KnnIndex { get; init; } = new();
    public string Device { get; init; } = "cpu";
    /// <summary>torch intra-op threads; 0 leaves libtorch's default.</summary>
    public int Threads { get; init; }
    /// <summary>Write each held-out prediction as NIfTI in the source geometry under OutputDir/predictions.</summary>
    public bool WritePredictions { get; init; } = true;
    /// <summary>
    /// Frozen protocols on a random init first estimate its BatchNorm statistics from the evaluated images (no labels),
    /// so the baseline is not handicapped by fresh layers' mean 0 / variance 1 (<see cref="Features.BatchNormCalibration"/>).
    /// </summary>
    public bool CalibrateRandomBatchNorm { get; init; } = true;
    /// <summary>Class names for the report (label id → name); unnamed classes show as "class N".</summary>
    public IReadOnlyDictionary<int, string> ClassNames { get; init; } = new Dictionary<int, string>();

    public void Validate()
    {
        if (Protocols.Count == 0) throw new ArgumentException("choose at least one protocol");
        if (Folds < 2) throw new ArgumentException("folds must be >= 2");
        if (MaxFolds < 0 || MaxTrainCases < 0) throw new ArgumentException("maxFolds and maxTrainCases must be >= 0");
        Training.Validate();
        Window.Validate();
        if (FreezeSteps < 0) throw new ArgumentException("freeze steps must be >= 0");
        if (!(ScratchLr > 0)) throw new ArgumentException("scratch learning rate must be > 0");
        if (KnnK < 1 || KnnKeyEvery < 1 || KnnQueryEvery < 1) throw new ArgumentException("kNN k, key stride and query stride must be >= 1");
        if (KnnShots.Count == 0 || KnnShots.Any(s => s < 1)) throw new ArgumentException("kNN shots must be >= 1");
        KnnIndex.Validate();
        if (Threads < 0) throw new ArgumentException("threads must be >= 0");
        if (HoldoutTestCases < 0 || HoldoutRepeats < 1) throw new ArgumentException("holdout.testCases must be >= 0 and holdout.repeats >= 1");
        if (KeepLabels.Any(l => l is < 1 or > 255)) throw new ArgumentException("keepLabels must be label ids in 1..255");
        foreach (var s in InputScaling.Values) s.Validate();
        var frozen = Protocols.Where(p => p is Protocol.Linear or Protocol.NonLinear or Protocol.Knn).ToList();
        if (frozen.Select(p => ScalingFor(p, Modality.CT)?.ToString() ?? "model").Distinct().Count() > 1)
            throw new ArgumentException("linear, nonlinear and knn share one feature pyramid per volume: give them the same input scaling");
        if (Protocols.Any(ProtocolNames.IsSupervised)) Supervised.Validate();
    }

    /// <summary>
    /// The input scaling of a protocol: an explicit <see cref="InputScaling"/> entry; else for the supervised protocols
    /// voxel-level SimSiam's soft-tissue window [-200, 250] on CT (identity on MR, whose specs already scale to [0, 1]);
    /// else null: the pre-trained model's own input contract (backbone.json), with which the cases are loaded.
    /// </summary>
    public InputScaling? ScalingFor(Protocol p, Modality m) =>
        InputScaling.TryGetValue(p, out var s) ? s
        : ProtocolNames.IsSupervised(p) ? (m == Modality.CT ? SupervisedOptions.CtWindow : Sampling.InputScaling.Identity)
        : null;

    public string ClassName(int label) => ClassNames.TryGetValue(label, out var n) ? n : $"class {label}";
}
