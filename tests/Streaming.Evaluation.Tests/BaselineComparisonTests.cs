using Streaming.Evaluation.Data;
using Streaming.Evaluation.Metrics;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Reports;

namespace Streaming.Evaluation.Tests;

public class BaselineComparisonTests
{
    private static CaseScore Case(string arm, string backbone, int fold, string id, params double[] dice) =>
        new(arm, arm[..arm.IndexOf('/')], backbone, fold, id, dice.Select((d, i) => new ClassMetrics(i + 1, 10, 10, 5, d, 1, 1)).ToList(), null);

    [Fact]
    public void Each_arm_is_paired_with_its_random_init_twin_per_volume()
    {
        var cases = new List<CaseScore>
        {
            // Volume means: pretrained 0.6, 0.5, 0.7; random init 0.4, 0.45, 0.5 -> differences 0.2, 0.05, 0.2.
            Case("linear/pretrained", "pretrained", 0, "a", 0.5, 0.7), Case("linear/random-init", "random-init", 0, "a", 0.4, 0.4),
            Case("linear/pretrained", "pretrained", 1, "b", 0.5), Case("linear/random-init", "random-init", 1, "b", 0.45),
            Case("linear/pretrained", "pretrained", 2, "c", 0.7), Case("linear/random-init", "random-init", 2, "c", 0.5),
            Case("knn/pretrained-3shot", "pretrained", 0, "a", 0.3), Case("knn/random-init-3shot", "random-init", 0, "a", 0.35),
            Case("knn/pretrained-3shot", "pretrained", 1, "b", 0.3), Case("knn/random-init-3shot", "random-init", 1, "b", 0.36),
        };
        var arms = cases.Select(c => (c.Arm, c.Protocol, c.Backbone)).Distinct()
            .Select(a => new ArmSummary(a.Arm, a.Protocol, a.Backbone, [], default, default, default, 0)).ToList();
        var r = new EvaluationResult([new FoldSplit(0, [], ["a"])], [], cases, arms, 0);

        var all = BaselineComparison.All(r);
        Assert.Equal(["linear/pretrained", "knn/pretrained-3shot"], all.Select(c => c.Arm));
        var linear = all[0];
        Assert.Equal("linear/random-init", linear.Baseline);
        Assert.Equal(PairedDifference.Of([0.6, 0.5, 0.7], [0.4, 0.45, 0.5]), linear.Dice);
        Assert.Equal(0.15, linear.Dice.Mean, 12);
        Assert.Equal("knn/random-init-3shot", all[1].Baseline);
        Assert.Equal(-0.055, all[1].Dice.Mean, 12);
        Assert.False(all[1].Dice.Worse); // two volumes, t(0.975, 1) = 12.7: the interval [-0.119, +0.009] still holds 0
        Assert.Contains("| knn/pretrained-3shot | knn/random-init-3shot | 2 | -0.055 |", ReportWriter.Markdown(r, "t"));
    }

    [Fact]
    public void Supervised_unet_arms_have_no_twin_and_do_not_break_the_report()
    {
        // A report with --protocols linear,unet --random-baseline: the U-Net arm is named "unet", without a slash.
        var cases = new List<CaseScore>
        {
            Case("linear/pretrained", "pretrained", 0, "a", 0.6), Case("linear/random-init", "random-init", 0, "a", 0.4),
            new("unet", "unet", "unet", 0, "a", [new ClassMetrics(1, 10, 10, 5, 0.7, 1, 1)], null),
        };
        var arms = cases.Select(c => (c.Arm, c.Protocol, c.Backbone)).Distinct()
            .Select(a => new ArmSummary(a.Arm, a.Protocol, a.Backbone, [], default, default, default, 0)).ToList();
        var r = new EvaluationResult([new FoldSplit(0, [], ["a"])], [], cases, arms, 0);
        Assert.Equal(["linear/pretrained"], BaselineComparison.All(r).Select(c => c.Arm));
    }
}
