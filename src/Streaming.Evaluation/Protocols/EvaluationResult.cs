using Streaming.Evaluation.Data;
using Streaming.Evaluation.Metrics;

namespace Streaming.Evaluation.Protocols;

/// <summary>Scores of one held-out case under one arm (protocol x backbone) in one fold.</summary>
public sealed record CaseScore(string Arm, string Protocol, string Backbone, int Fold, string CaseId, IReadOnlyList<ClassMetrics> Classes, string? PredictionPath);

/// <summary>Mean and sample standard deviation over folds of the per-fold means (NaN values skipped); N = folds used.</summary>
public readonly record struct MeanStd(double Mean, double Std, int N)
{
    public static MeanStd Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return new MeanStd(double.NaN, double.NaN, 0);
        var mean = v.Average();
        var std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new MeanStd(mean, std, v.Length);
    }
}

public sealed record ClassSummary(int Label, string Name, MeanStd Dice, MeanStd Hd95, MeanStd MeanSurfaceDistance)
{
    /// <summary>HD95 and mean surface distance in voxels of the evaluation grid.</summary>
    public MeanStd Hd95Voxels { get; init; }
    public MeanStd MeanSurfaceDistanceVoxels { get; init; }
}

/// <summary>One arm's summary: per class, and the mean over classes (computed per fold, then over folds).</summary>
public sealed record ArmSummary(string Arm, string Protocol, string Backbone, IReadOnlyList<ClassSummary> Classes, MeanStd MeanDice,
    MeanStd MeanHd95, MeanStd MeanSurfaceDistance, double TrainSeconds)
{
    /// <summary>Mean over classes of HD95 and mean surface distance in voxels of the evaluation grid.</summary>
    public MeanStd MeanHd95Voxels { get; init; }
    public MeanStd MeanSurfaceDistanceVoxels { get; init; }
}

public sealed record EvaluationResult(
    IReadOnlyList<FoldSplit> Folds,
    IReadOnlyList<int> Labels,
    IReadOnlyList<CaseScore> Cases,
    IReadOnlyList<ArmSummary> Arms,
    double ElapsedSeconds);
