using System.Globalization;
using System.Text;

namespace Streaming.Bench;

/// <summary>A benchmark result row: a measurement, and its ratio to the baseline measured in the same run.</summary>
public sealed record BenchRow(string Name, double Value, string Unit, string? Baseline = null, double? Ratio = null, string? Note = null);

/// <summary>Markdown table of benchmark rows (printed by `streaming bench ...` and pasted into docs/benchmarks.md).</summary>
public static class BenchTable
{
    public static string ToMarkdown(IEnumerable<BenchRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| measurement | value | unit | baseline | ratio | note |");
        sb.AppendLine("|---|---:|---|---|---:|---|");
        foreach (var r in rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {Format(r.Value)} | {r.Unit} | {r.Baseline ?? ""} | {(r.Ratio is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) + "x" : "")} | {r.Note ?? ""} |"));
        return sb.ToString();
    }

    private static string Format(double v) => Math.Abs(v) switch
    {
        >= 1000 => v.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => v.ToString("F1", CultureInfo.InvariantCulture),
        _ => v.ToString("F3", CultureInfo.InvariantCulture),
    };
}
