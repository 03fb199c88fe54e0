using System.Globalization;
using System.Text.RegularExpressions;
using Streaming.Evaluation.Protocols;

namespace Streaming.Evaluation.Comparison;

/// <summary>
/// Where one arm of a report goes in the comparison: its row, its protocol column, and the row it is paired with.
/// <paramref name="Reference"/> is null for a reference row itself; <paramref name="AcrossReports"/> pairs with the
/// reference of any report of the same split and seeds instead of the same report. <paramref name="SeedFree"/>
/// marks a row that does not depend on the pre-training seed (from scratch, SAL's random init), so one copy serves
/// every seed and the copies other reports repeat are not units.
/// </summary>
public sealed record ArmPlace(string Row, string Column, string? Reference, bool AcrossReports, bool SeedFree = false);

/// <summary>
/// Rows and columns of the comparison. Columns: <c>linear</c>, <c>nonlinear</c>, <c>knn-n</c> (n atlases),
/// <c>finetune-N</c> (N = the report's maxTrainCases, or "all"; the scratch arm is its "from scratch" row),
/// <c>supervised-N[@f%]</c> (the U-Net protocols, their rows named by arm) and <c>slice-finetune-m</c> (SAL's 2-D
/// protocol, m labeled subjects). Rows: the manifest's method for <c>pretrained</c>, "random init (method)" for its
/// random twin, "from scratch", otherwise the backbone's own name (handmade, gvdiff, an initialisation's name).
/// </summary>
public static partial class ArmPlacement
{
    public const string FromScratch = "from scratch", PlainUNet = "unet";

    public static string RandomInit(string method) => $"random init ({method})";

    /// <summary>
    /// The place of a case's arm, or null when its protocol or arm name follows none of the known patterns.
    /// <paramref name="randomInitOf"/>: the method whose random init, in its own report, the frozen pre-trained rows
    /// pair with (the same network: evaluated once, see <see cref="ManifestRun.RandomInitOf"/>); null: this report's.
    /// </summary>
    public static ArmPlace? Place(CaseScore c, string method, int maxTrainCases, string? randomInitOf = null)
    {
        var n = maxTrainCases == 0 ? "all" : maxTrainCases.ToString(CultureInfo.InvariantCulture);
        var random = RandomInit(method);
        switch (c.Protocol)
        {
            case "linear" or "nonlinear":
                return Frozen(c.Protocol);
            case "knn":
                return Shots().Match(c.Arm) is { Success: true } m ? Frozen($"knn-{m.Groups[1].Value}") : null;
            case "finetune" or "scratch":
                var row = c.Protocol == "scratch" ? FromScratch : Row(c.Backbone, method);
                return row == FromScratch
                    ? new ArmPlace(row, $"finetune-{n}", null, AcrossReports: true, SeedFree: true)
                    : new ArmPlace(row, $"finetune-{n}", FromScratch, AcrossReports: true);
            case "unet" or "simsiam" or "scl":
                var at = c.Arm.IndexOf('@');
                var name = at < 0 ? c.Arm : c.Arm[..at];
                var column = at < 0 ? $"supervised-{n}" : $"supervised-{n}{c.Arm[at..]}";
                return new ArmPlace(name, column, name == PlainUNet ? null : PlainUNet, AcrossReports: false);
            case "slice-finetune":
                if (Subjects().Match(c.Arm) is not { Success: true } s) return null;
                // The slice protocol's random init is seeded by the evaluation seed and fold only: one report's copy
                // pairs with the pre-trained arms of every pre-training seed (benchmark-methods.sh runs it once).
                var slices = $"slice-finetune-{s.Groups[1].Value}";
                var init = Row(c.Backbone, method);
                return init == random
                    ? new ArmPlace(init, slices, null, AcrossReports: true, SeedFree: true)
                    : new ArmPlace(init, slices, random, AcrossReports: true);
            default:
                return null;
        }

        ArmPlace Frozen(string column)
        {
            var row = Row(c.Backbone, method);
            return row == method && randomInitOf is not null
                ? new ArmPlace(row, column, RandomInit(randomInitOf), AcrossReports: true)
                : new ArmPlace(row, column, row == random ? null : random, AcrossReports: false);
        }
    }

    private static string Row(string backbone, string method) => backbone switch
    {
        "pretrained" => method,
        "random-init" => RandomInit(method),
        "scratch" => FromScratch,
        _ => backbone,
    };

    [GeneratedRegex(@"-(\d+)shot$")]
    private static partial Regex Shots();

    [GeneratedRegex(@"^M=(\d+)/")]
    private static partial Regex Subjects();
}
