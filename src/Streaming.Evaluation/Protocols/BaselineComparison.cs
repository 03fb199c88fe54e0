using Streaming.Evaluation.Metrics;

namespace Streaming.Evaluation.Protocols;

/// <summary>One arm against the same protocol on a baseline backbone: paired per-volume mean Dice differences.</summary>
public sealed record BaselineComparison(string Arm, string Baseline, PairedDifference Dice)
{
    /// <summary>
    /// Every arm that has a twin on <paramref name="baseline"/> (same protocol and arm suffix, e.g. knn-3shot), paired
    /// on (fold, volume). A volume's value is its mean Dice over the classes present in it.
    /// </summary>
    public static IReadOnlyList<BaselineComparison> All(EvaluationResult r, string baseline = "random-init")
    {
        var byArm = r.Cases.GroupBy(c => c.Arm).ToDictionary(g => g.Key, g => g.ToDictionary(c => (c.Fold, c.CaseId), CaseScoring.VolumeDice));
        var result = new List<BaselineComparison>();
        // Supervised U-Net arms ("unet", "simsiam-3@25%") have no protocol/backbone name and no random-init twin.
        foreach (var a in r.Arms.Where(a => a.Backbone != baseline && a.Arm.Contains('/')))
        {
            var twin = BaselineArm(a, baseline);
            if (!byArm.TryGetValue(twin, out var theirs)) continue;
            var mine = byArm[a.Arm];
            var keys = mine.Keys.Where(theirs.ContainsKey).OrderBy(k => k.Fold).ThenBy(k => k.CaseId, StringComparer.Ordinal).ToList();
            result.Add(new BaselineComparison(a.Arm, twin, PairedDifference.Of(keys.Select(k => mine[k]).ToList(), keys.Select(k => theirs[k]).ToList())));
        }
        return result;
    }

    /// <summary>"linear/pretrained" → "linear/random-init"; "knn/pretrained-3shot" → "knn/random-init-3shot".</summary>
    private static string BaselineArm(ArmSummary a, string baseline)
    {
        var slash = a.Arm.IndexOf('/');
        var rest = a.Arm[(slash + 1)..];
        var suffix = rest.StartsWith(a.Backbone, StringComparison.Ordinal) ? rest[a.Backbone.Length..] : "";
        return $"{a.Arm[..slash]}/{baseline}{suffix}";
    }
}
