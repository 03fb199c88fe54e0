using System.Globalization;
using System.Text;

namespace Streaming.Evaluation.Comparison;

/// <summary>
/// comparison.md: per split the main table (row x protocol: mean Dice, Δ [lo, hi] to the reference, bold where the
/// interval excludes 0), a table of counts and seed spread, then one Dice-per-class table per protocol column.
/// </summary>
public static class ComparisonMarkdown
{
    public static string Write(ComparisonResult r, string title)
    {
        var sb = new StringBuilder().AppendLine($"# {title}").AppendLine();
        foreach (var s in r.Splits)
        {
            sb.AppendLine($"## Split: {s.Split}").AppendLine().AppendLine(MainTable(s)).AppendLine();
            sb.AppendLine("| row | column | vs | units | volumes | pre-training seeds | evaluation seeds | mean Dice per pre-training seed (min..max) | Δ sd over volumes |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var c in s.Cells)
                sb.AppendLine($"| {c.Row} | {c.Column} | {c.Reference ?? "—"} | {c.Units} | {c.Volumes} | {c.PretrainSeeds} | {c.EvalSeeds} | " +
                                $"{F(c.SeedMin)}..{F(c.SeedMax)} | {(c.Difference is { } d ? F(d.StdDev) : "—")} |");
            foreach (var t in s.Classes)
            {
                sb.AppendLine().AppendLine($"### {s.Split}, {t.Column}: mean Dice per class").AppendLine();
                sb.AppendLine($"| class | {string.Join(" | ", t.Rows.Select(x => x.Row))} |");
                sb.AppendLine($"|---|{string.Concat(t.Rows.Select(_ => "---|"))}");
                for (var i = 0; i < t.Labels.Count; i++)
                    sb.AppendLine($"| {t.Labels[i].Label} {t.Labels[i].Name} | {string.Join(" | ", t.Rows.Select(x => F(x.Dice[i])))} |");
            }
            sb.AppendLine();
        }
        return sb.AppendLine("How the numbers are computed: " + r.HowComputed).ToString();
    }

    /// <summary>Rows x protocol columns; each cell "mean, Δ +d [lo, hi]" (Δ bold when the interval excludes 0), "—" where there is no Δ.</summary>
    public static string MainTable(ComparisonSplit s)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"| method | {string.Join(" | ", s.Columns)} |");
        sb.AppendLine($"|---|{string.Concat(s.Columns.Select(_ => "---|"))}");
        foreach (var row in s.Rows)
            sb.AppendLine($"| {row} | {string.Join(" | ", s.Columns.Select(c => s.Cell(row, c) is { } cell ? Cell(cell) : ""))} |");
        return sb.ToString().TrimEnd();
    }

    private static string Cell(ComparisonCell c)
    {
        if (c.Difference is not { } d) return $"{F(c.MeanDice)}, Δ —";
        var delta = $"Δ {S(d.Mean)} [{S(d.Lower)}, {S(d.Upper)}]";
        return $"{F(c.MeanDice)}, {(d.Better || d.Worse ? $"**{delta}**" : delta)}";
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "—";

    private static string S(double v) => double.IsFinite(v) ? v.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) : "n/a";
}
