namespace Streaming.Evaluation.Comparison;

/// <summary>One line of a comparison manifest: the evaluate report that holds a method's arms for one split and seed pair.</summary>
/// <param name="Report">Full path of the report.json.</param>
/// <param name="Line">Line number in the manifest (1 = header), for error messages.</param>
/// <param name="RandomInitOf">The method whose random-init twin this run's pre-trained rows pair with, when the report
/// has none of its own because the twin is the same network (same architecture and baseline seed); null: its own.</param>
public sealed record ManifestRun(string Split, string Method, string PretrainSeed, string EvalSeed, string Report, int Line, string? RandomInitOf = null);

/// <summary>
/// <c>runs.tsv</c>: tab-separated, the header <c>split method pretrainSeed evalSeed report</c>, optionally followed by
/// <c>randomInit</c>, then one line per evaluate run; <c>report</c> is relative to the manifest's folder (or absolute).
/// <c>randomInit</c> names the method whose random init (in its run of the same split and seeds) serves this run, or
/// "-" for the run's own. Blank lines and lines starting with '#' are skipped. Seeds are labels (compared as text), so
/// a run that has no pre-training seed can say "-".
/// </summary>
public static class ComparisonManifest
{
    public static readonly IReadOnlyList<string> Columns = ["split", "method", "pretrainSeed", "evalSeed", "report"];

    /// <summary>The optional sixth column.</summary>
    public const string RandomInitColumn = "randomInit";

    public static IReadOnlyList<ManifestRun> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: manifest not found", path);
        var lines = File.ReadAllLines(path);
        var header = lines.Length == 0 ? [] : lines[0].Split('\t').Select(h => h.Trim()).ToArray();
        var withRandomInit = header.SequenceEqual(Columns.Append(RandomInitColumn));
        if (!withRandomInit && !header.SequenceEqual(Columns))
            throw new InvalidDataException($"{path}: the header must be the tab-separated columns '{string.Join(" ", Columns)}' (and optionally " +
                                           $"'{RandomInitColumn}'), found '{(lines.Length == 0 ? "" : lines[0])}'");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var runs = new List<ManifestRun>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]) || lines[i].TrimStart().StartsWith('#')) continue;
            var f = lines[i].Split('\t').Select(x => x.Trim()).ToArray();
            if (f.Length != header.Length || f.Any(x => x.Length == 0))
                throw new InvalidDataException($"{path} line {i + 1}: expected {header.Length} non-empty tab-separated fields ({string.Join(", ", header)}), found '{lines[i]}'");
            var randomInit = withRandomInit && f[5] != "-" ? f[5] : null;
            runs.Add(new ManifestRun(f[0], f[1], f[2], f[3], Path.GetFullPath(Path.Combine(folder, f[4])), i + 1, randomInit));
        }
        if (runs.Count == 0) throw new InvalidDataException($"{path}: no runs listed under the header");
        foreach (var r in runs.Where(r => r.RandomInitOf is not null))
            if (!runs.Any(o => o.Split == r.Split && o.Method == r.RandomInitOf && o.PretrainSeed == r.PretrainSeed && o.EvalSeed == r.EvalSeed && o.RandomInitOf is null))
                throw new InvalidDataException($"{path} line {r.Line}: randomInit {r.RandomInitOf}: no run of {r.RandomInitOf} with its own random init for split " +
                                               $"{r.Split}, pre-training seed {r.PretrainSeed} and evaluation seed {r.EvalSeed}");
        return runs;
    }
}
