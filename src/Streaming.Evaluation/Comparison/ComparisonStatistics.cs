using System.Globalization;
using Streaming.Evaluation.Metrics;

namespace Streaming.Evaluation.Comparison;

/// <summary>Paired units → per split, row and column: mean Dice, seed spread, counts, the paired per-volume CI, and per-class means.</summary>
public static class ComparisonStatistics
{
    /// <summary>How every number is computed; printed with the tables and stored in comparison.json.</summary>
    public static string Method(double level) => string.Create(CultureInfo.InvariantCulture,
        $"A unit is one held-out volume scored under one pre-training seed, one evaluation seed and one fold (or hold-out split); " +
        $"its score is its mean Dice over the classes present in its reference. Mean = mean over all units of the row and column. " +
        $"Δ = paired difference to the reference row on the same volumes: random init of the same architecture from the same report " +
        $"(linear, nonlinear, knn, slice-finetune columns), from scratch with the same split, evaluation seed, N, fold and volume from any " +
        $"report (finetune-N), the plain U-Net of the same report (supervised columns). Each unit minus its reference unit; a volume's " +
        $"difference is the mean of its units' differences over pre-training and evaluation seeds (and folds); Δ is the mean over the n " +
        $"volumes and the interval mean ± t({1 - (1 - level) / 2:0.###}, n - 1) · sd / √n is the two-sided {level * 100:0.#}% Student-t " +
        $"interval over volumes (volumes are the independent units: the seeds enter through each volume's mean, so this is not an " +
        $"interval over seeds; the spread of the per-pre-training-seed means is given separately). Units without a reference unit are " +
        $"left out of Δ. Per class: mean Dice over the units whose reference contains the class.");

    public static ComparisonResult Compute(IReadOnlyList<ComparisonUnit> units, IReadOnlyList<string> methods, IReadOnlyDictionary<int, string> classNames,
        double level = 0.95)
    {
        var splits = units.GroupBy(u => u.Split).Select(g => Split(g.Key, g.ToList(), methods, classNames, level)).ToList();
        return new ComparisonResult(splits, Method(level), level);
    }

    private static ComparisonSplit Split(string split, List<ComparisonUnit> units, IReadOnlyList<string> methods, IReadOnlyDictionary<int, string> names, double level)
    {
        var rows = units.Select(u => u.Place.Row).Distinct().Select((r, i) => (r, i)).OrderBy(x => RowKind(x.r, methods)).ThenBy(x => x.i).Select(x => x.r).ToList();
        var columns = units.Select(u => u.Place.Column).Distinct().OrderBy(ColumnFamily).ThenBy(ColumnNumber).ThenBy(c => c, StringComparer.Ordinal).ToList();
        var cells = new List<ComparisonCell>();
        foreach (var column in columns)
            foreach (var row in rows)
                if (units.Where(u => u.Place.Row == row && u.Place.Column == column).ToList() is { Count: > 0 } mine) cells.Add(Cell(mine, level));
        var classes = columns.Select(c => Classes(c, rows, units.Where(u => u.Place.Column == c).ToList(), names)).ToList();
        return new ComparisonSplit(split, rows, columns, cells, classes);
    }

    private static ComparisonCell Cell(List<ComparisonUnit> units, double level)
    {
        var place = units[0].Place;
        var seeds = units.GroupBy(u => u.PretrainSeed).Select(g => Mean(g.Select(u => u.Dice))).Where(double.IsFinite).ToList();
        var paired = units.Where(u => double.IsFinite(u.Dice) && double.IsFinite(u.ReferenceDice))
            .GroupBy(u => u.CaseId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Row: g.Average(u => u.Dice), Reference: g.Average(u => u.ReferenceDice))).ToList();
        var difference = place.Reference is null || paired.Count == 0 ? null
            : PairedDifference.Of(paired.Select(p => p.Row).ToList(), paired.Select(p => p.Reference).ToList(), level);
        return new ComparisonCell(place.Row, place.Column, difference is null ? null : place.Reference, Mean(units.Select(u => u.Dice)), units.Count,
            units.Select(u => u.CaseId).Distinct().Count(), units.Select(u => u.PretrainSeed).Distinct().Count(), units.Select(u => u.EvalSeed).Distinct().Count(),
            seeds.Count == 0 ? double.NaN : seeds.Min(), seeds.Count == 0 ? double.NaN : seeds.Max(), difference);
    }

    private static ClassTable Classes(string column, IReadOnlyList<string> rows, List<ComparisonUnit> units, IReadOnlyDictionary<int, string> names)
    {
        var labels = units.SelectMany(u => u.Classes).Where(m => m.ReferenceVoxels > 0).Select(m => m.Label).Distinct().Order().ToList();
        var table = rows.Where(r => units.Any(u => u.Place.Row == r)).Select(r =>
        {
            var present = units.Where(u => u.Place.Row == r).SelectMany(u => u.Classes).Where(m => m.ReferenceVoxels > 0).ToList();
            return new ClassRow(r, labels.Select(l => Mean(present.Where(m => m.Label == l).Select(m => m.Dice))).ToList());
        }).ToList();
        return new ClassTable(column, labels.Select(l => new ClassLabel(l, names.GetValueOrDefault(l, $"class {l}"))).ToList(), table);
    }

    /// <summary>Pre-trained methods (manifest order), other backbones, random inits, from scratch.</summary>
    private static int RowKind(string row, IReadOnlyList<string> methods) =>
        methods.Contains(row) ? 0 : row == ArmPlacement.FromScratch ? 3 : row.StartsWith("random init (", StringComparison.Ordinal) ? 2 : 1;

    private static int ColumnFamily(string column) =>
        Array.FindIndex(["linear", "nonlinear", "knn-", "finetune-", "supervised-", "slice-finetune-"], f => f.EndsWith('-') ? column.StartsWith(f, StringComparison.Ordinal) : column == f) switch
        {
            -1 => int.MaxValue,
            var i => i,
        };

    /// <summary>The n of knn-n, finetune-N, ...; "all" sorts last.</summary>
    private static int ColumnNumber(string column)
    {
        var tail = column[(column.LastIndexOf('-') + 1)..];
        var at = tail.IndexOf('@');
        if (at >= 0) tail = tail[..at];
        return int.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
    }

    private static double Mean(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        return v.Length == 0 ? double.NaN : v.Average();
    }
}
