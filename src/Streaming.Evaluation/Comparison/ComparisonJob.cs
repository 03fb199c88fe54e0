using System.Text.Json;
using Streaming.Evaluation.Reports;

namespace Streaming.Evaluation.Comparison;

/// <summary>What <see cref="ComparisonJob.Run"/> compares and where it writes.</summary>
public sealed record ComparisonRequest
{
    /// <summary>runs.tsv (see <see cref="ComparisonManifest"/>).</summary>
    public required string ManifestPath { get; init; }
    public required string OutputDir { get; init; }
    /// <summary>Level of the paired confidence intervals.</summary>
    public double Level { get; init; } = 0.95;
    public string Title { get; init; } = "Comparison of methods on held-out volumes";
}

/// <summary>The comparison, the files written and the main tables (one per split) for the terminal.</summary>
public sealed record ComparisonOutcome(ComparisonResult Result, IReadOnlyList<string> Files, string Table);

/// <summary>
/// <c>compare</c>: every evaluate report of a manifest (methods x pre-training seeds x evaluation seeds x splits x
/// protocol sets) → one table per split of method x protocol with paired confidence intervals against the reference
/// of each cell, per-class tables, a figure: comparison.md, comparison.json, comparison.png under the output folder.
/// Every report is read and checked before anything is written.
/// </summary>
public static class ComparisonJob
{
    public static ComparisonOutcome Run(ComparisonRequest r, Action<string>? log = null)
    {
        if (!(r.Level > 0 && r.Level < 1)) throw new ArgumentException("the confidence level must be in (0, 1)");
        var runs = ComparisonManifest.Read(r.ManifestPath);
        var reports = new Dictionary<string, StoredReport>();
        var pairs = runs.Select(run =>
        {
            if (!reports.TryGetValue(run.Report, out var report))
            {
                try { report = StoredReport.Read(run.Report); }
                catch (FileNotFoundException) { throw new FileNotFoundException($"{run.Report}: report not found (line {run.Line} of {r.ManifestPath})", run.Report); }
                reports[run.Report] = report;
            }
            return (run, report);
        }).ToList();
        log?.Invoke($"compare: {runs.Count} runs, {reports.Count} reports, {runs.Select(x => x.Split).Distinct().Count()} splits, methods {string.Join(", ", runs.Select(x => x.Method).Distinct())}");
        var units = ComparisonUnits.Collect(pairs, log);
        var names = new Dictionary<int, string>();
        foreach (var (label, name) in reports.Values.SelectMany(x => x.ClassNames)) names.TryAdd(label, name);
        var result = ComparisonStatistics.Compute(units, runs.Select(x => x.Method).Distinct().ToList(), names, r.Level);

        Directory.CreateDirectory(r.OutputDir);
        var md = Path.Combine(r.OutputDir, "comparison.md");
        var json = Path.Combine(r.OutputDir, "comparison.json");
        var png = Path.Combine(r.OutputDir, "comparison.png");
        ReportWriter.Atomic(json, JsonSerializer.Serialize(new { title = r.Title, manifest = Path.GetFullPath(r.ManifestPath), result }, ReportWriter.Json));
        ReportWriter.Atomic(md, ComparisonMarkdown.Write(result, r.Title));
        ComparisonChart.Render(result).Save(png + ".tmp");
        File.Move(png + ".tmp", png, overwrite: true);
        var table = string.Join(Environment.NewLine + Environment.NewLine, result.Splits.Select(s => $"split {s.Split}{Environment.NewLine}{ComparisonMarkdown.MainTable(s)}"));
        return new ComparisonOutcome(result, [md, json, png], table);
    }
}
