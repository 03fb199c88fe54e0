namespace Streaming.Evaluation.Comparison;

/// <summary>One line of a comparison manifest: the evaluate report that holds a method's arms for one split and seed pair.</summary>
/// <param name="Report">Full path of the report.json.</param>
/// <param name="Line">Line number in the manifest (1 = header), for error messages.</param>
public sealed record ManifestRun(string Split, string Method, string PretrainSeed, string EvalSeed, string Report, int Line);

/// <summary>
/// <c>runs.tsv</c>: tab-separated, the header <c>split method pretrainSeed evalSeed report</c>, then one line per
/// evaluate run; <c>report</c> is relative to the manifest's folder (or absolute). Blank lines and lines starting with
/// '#' are skipped. Seeds are labels (compared as text), so a run that has no pre-training seed can say "-".
/// </summary>
public static class ComparisonManifest
{
    public static readonly IReadOnlyList<string> Columns = ["split", "method", "pretrainSeed", "evalSeed", "report"];

    public static IReadOnlyList<ManifestRun> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: manifest not found", path);
        var lines = File.ReadAllLines(path);
        var header = lines.Length == 0 ? [] : lines[0].Split('\t').Select(h => h.Trim()).ToArray();
        if (!header.SequenceEqual(Columns))
            throw new InvalidDataException($"{path}: the header must be the tab-separated columns '{string.Join(" ", Columns)}', found '{(lines.Length == 0 ? "" : lines[0])}'");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var runs = new List<ManifestRun>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]) || lines[i].TrimStart().StartsWith('#')) continue;
            var f = lines[i].Split('\t').Select(x => x.Trim()).ToArray();
            if (f.Length != Columns.Count || f.Any(x => x.Length == 0))
                throw new InvalidDataException($"{path} line {i + 1}: expected {Columns.Count} non-empty tab-separated fields ({string.Join(", ", Columns)}), found '{lines[i]}'");
            runs.Add(new ManifestRun(f[0], f[1], f[2], f[3], Path.GetFullPath(Path.Combine(folder, f[4])), i + 1));
        }
        if (runs.Count == 0) throw new InvalidDataException($"{path}: no runs listed under the header");
        return runs;
    }
}
