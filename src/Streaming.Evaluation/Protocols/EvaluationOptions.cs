using Streaming.Evaluation.Features;
using Streaming.Evaluation.Training;

namespace Streaming.Evaluation.Protocols;

/// <summary>Everything an evaluation run needs besides the cases and backbones. Immutable; validated by the runner.</summary>
public sealed record EvaluationOptions
{
    public IReadOnlyList<Protocol> Protocols { get; init; } = [Protocol.Linear];
    /// <summary>k of the k-fold split (every case is scored once, by the fold that holds it out).</summary>
    public int Folds { get; init; } = 3;
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
        if (Threads < 0) throw new ArgumentException("threads must be >= 0");
    }

    public string ClassName(int label) => ClassNames.TryGetValue(label, out var n) ? n : $"class {label}";
}
