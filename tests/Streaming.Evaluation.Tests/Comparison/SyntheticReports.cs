using Streaming.Evaluation.Data;
using Streaming.Evaluation.Metrics;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Reports;

namespace Streaming.Evaluation.Tests.Comparison;

/// <summary>Tiny evaluate reports with chosen Dice values, written by the real <see cref="ReportWriter"/>, and their manifest.</summary>
internal static class SyntheticReports
{
    /// <summary>A case whose class 1 scores <paramref name="dice"/>; class 2, when given, is present in the reference.</summary>
    public static CaseScore Case(string arm, string id, double dice, double? class2 = null, int fold = 0)
    {
        var slash = arm.IndexOf('/');
        var protocol = arm[..slash];
        var backbone = arm[(slash + 1)..];
        var shot = backbone.LastIndexOf('-');
        if (protocol == "knn" && shot > 0 && backbone.EndsWith("shot", StringComparison.Ordinal)) backbone = backbone[..shot];
        var classes = new List<ClassMetrics> { new(1, 100, 100, (long)(dice * 100), dice, 1, 1) };
        // Class 3 is predicted but absent from the reference: it must count in no score.
        classes.Add(new ClassMetrics(3, 0, 50, 0, 0, double.NaN, double.NaN));
        if (class2 is { } d2) classes.Add(new ClassMetrics(2, 40, 40, (long)(d2 * 40), d2, 1, 1));
        return new CaseScore(arm, protocol, backbone, fold, id, classes, null);
    }

    /// <summary>Writes DIR/report.json (and report.md, dice.png) as `streaming evaluate` does; returns DIR.</summary>
    public static string Write(string dir, int maxTrainCases, params CaseScore[] cases)
    {
        int[] labels = [1, 2, 3];
        static string Name(int l) => l switch { 1 => "liver", 2 => "spleen", _ => "kidney" };
        var arms = cases.Select(c => c.Arm).Distinct().Select(a => Summaries.Summarise(a, cases, labels, Name, 1)).ToList();
        var folds = cases.GroupBy(c => c.Fold).Select(g => new FoldSplit(g.Key, [], g.Select(c => c.CaseId).Distinct().ToList())).ToList();
        var options = new { protocols = cases.Select(c => c.Protocol).Distinct(), folds = 3, maxTrainCases, seed = 0 };
        ReportWriter.Write(dir, new EvaluationResult(folds, labels, cases, arms, 1), options, "synthetic");
        return dir;
    }

    /// <summary>runs.tsv under <paramref name="root"/>; each run is (split, method, pretrainSeed, evalSeed, report folder relative to root).</summary>
    public static string Manifest(string root, IEnumerable<(string Split, string Method, string PretrainSeed, string EvalSeed, string Folder)> runs)
    {
        var path = Path.Combine(root, "runs.tsv");
        File.WriteAllLines(path, runs.Select(r => $"{r.Split}\t{r.Method}\t{r.PretrainSeed}\t{r.EvalSeed}\t{r.Folder}/report.json")
            .Prepend("split\tmethod\tpretrainSeed\tevalSeed\treport"));
        return path;
    }
}
