using Streaming.Evaluation.Metrics;

namespace Streaming.Evaluation.Protocols;

/// <summary>Folds → mean ± std: each fold's value is the mean over its held-out cases; classes absent in a case are skipped.</summary>
public static class Summaries
{
    public static ArmSummary Summarise(string arm, IReadOnlyList<CaseScore> scores, IReadOnlyList<int> labels, Func<int, string> name, double trainSeconds)
    {
        var mine = scores.Where(s => s.Arm == arm).ToList();
        if (mine.Count == 0) throw new ArgumentException($"no scores for arm {arm}");
        var folds = mine.GroupBy(s => s.Fold).OrderBy(g => g.Key).ToList();
        double FoldMean(IEnumerable<CaseScore> fold, int label, Func<ClassMetrics, double> pick) =>
            Mean(fold.Select(c => c.Classes.FirstOrDefault(m => m.Label == label)).Where(m => m is not null).Select(m => pick(m!)));
        var classes = labels.Select(l => new ClassSummary(l, name(l),
            MeanStd.Of(folds.Select(f => FoldMean(f, l, m => m.Dice))),
            MeanStd.Of(folds.Select(f => FoldMean(f, l, m => m.Hd95))),
            MeanStd.Of(folds.Select(f => FoldMean(f, l, m => m.MeanSurfaceDistance))))
        {
            Hd95Voxels = MeanStd.Of(folds.Select(f => FoldMean(f, l, m => m.Hd95Voxels))),
            MeanSurfaceDistanceVoxels = MeanStd.Of(folds.Select(f => FoldMean(f, l, m => m.MeanSurfaceDistanceVoxels))),
        }).ToList();
        MeanStd OverClasses(Func<ClassMetrics, double> pick) =>
            MeanStd.Of(folds.Select(f => Mean(labels.Select(l => FoldMean(f, l, pick)))));
        var first = mine[0];
        return new ArmSummary(arm, first.Protocol, first.Backbone, classes, OverClasses(m => m.Dice), OverClasses(m => m.Hd95),
            OverClasses(m => m.MeanSurfaceDistance), trainSeconds)
        {
            MeanHd95Voxels = OverClasses(m => m.Hd95Voxels), MeanSurfaceDistanceVoxels = OverClasses(m => m.MeanSurfaceDistanceVoxels),
        };
    }

    private static double Mean(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        return v.Length == 0 ? double.NaN : v.Average();
    }
}
