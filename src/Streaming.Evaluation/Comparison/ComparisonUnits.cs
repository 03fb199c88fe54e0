using Streaming.Evaluation.Protocols;

namespace Streaming.Evaluation.Comparison;

/// <summary>
/// Turns the manifest's reports into paired units. A row is paired with its reference on the same held-out volume:
/// in the same report (same folds, evaluation seed and architecture) for random init and the plain U-Net; for from
/// scratch and SAL's random init, with the unit of the same split, evaluation seed, column, fold and volume from any
/// report, since neither depends on the pre-training seed; for a run whose random init is another method's (the same
/// network, <see cref="ManifestRun.RandomInitOf"/>), with that method's unit of the same seeds, fold and volume.
/// </summary>
public static class ComparisonUnits
{
    public static IReadOnlyList<ComparisonUnit> Collect(IReadOnlyList<(ManifestRun Run, StoredReport Report)> runs, Action<string>? log = null)
    {
        var units = new List<ComparisonUnit>();
        var owner = new Dictionary<(string, string, string, string, string, int, string), string>();
        var repeated = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (run, report) in runs)
        {
            var mine = new List<ComparisonUnit>();
            var all = new List<ComparisonUnit>();
            foreach (var c in report.Cases)
            {
                var place = ArmPlacement.Place(c, run.Method, report.MaxTrainCases, run.RandomInitOf) ?? throw new InvalidDataException(
                    $"{report.Path}: arm '{c.Arm}' (protocol {c.Protocol}, backbone {c.Backbone}) maps to no comparison column; known: linear, nonlinear, " +
                    "knn (arms ending -<n>shot), finetune, scratch, unet, simsiam, scl, slice-finetune (arms M=<m>/...)");
                var unit = new ComparisonUnit(run.Split, place, run.PretrainSeed, run.EvalSeed, c.Fold, c.CaseId, CaseScoring.VolumeDice(c), c.Classes);
                all.Add(unit);
                if (!owner.TryAdd(Key(unit), report.Path))
                {
                    // Rows that are not this run's method or its random twin (from scratch, hand-made baselines, the
                    // plain U-Net) may be run beside every method: the first copy in the manifest is the unit.
                    var first = owner[Key(unit)];
                    if (first != report.Path && !place.SeedFree && (place.Row == run.Method || place.Row == ArmPlacement.RandomInit(run.Method)))
                        throw new InvalidDataException($"{report.Path}: repeats {place.Row} / {place.Column} on {c.CaseId} (fold {c.Fold}) of {first} " +
                                                       $"for split {run.Split}, pre-training seed {run.PretrainSeed}, evaluation seed {run.EvalSeed}");
                    if (first != report.Path)
                    {
                        if (!repeated.TryGetValue($"{place.Row} / {place.Column}", out var reports)) repeated[$"{place.Row} / {place.Column}"] = reports = new(StringComparer.Ordinal);
                        reports.Add(report.Path);
                    }
                    continue;
                }
                mine.Add(unit);
            }
            // A reference repeated from an earlier report still pairs with the rows of this one (same folds and seed).
            var here = all.GroupBy(u => (u.Place.Row, u.Place.Column, u.Fold, u.CaseId)).ToDictionary(g => g.Key, g => g.First().Dice);
            units.AddRange(mine.Select(u => u.Place is { Reference: { } r, AcrossReports: false }
                ? u with { ReferenceDice = here.GetValueOrDefault((r, u.Place.Column, u.Fold, u.CaseId), double.NaN) }
                : u));
        }
        foreach (var (cell, reports) in repeated)
            log?.Invoke($"{cell}: repeated by {reports.Count} later report(s) for the same volumes and seeds (e.g. {reports.Min}); the first in the manifest is used");
        var byKey = units.ToDictionary(Key, u => u.Dice);
        return units.Select(u => u.Place is { Reference: { } r, AcrossReports: true } ? u with { ReferenceDice = Across(u, r) } : u).ToList();

        // The reference row is seed-free (from scratch, SAL's random init) or, when shared, of the same pre-training seed.
        double Across(ComparisonUnit u, string row) =>
            byKey.TryGetValue(Key(u with { Place = u.Place with { Row = row, SeedFree = true } }), out var free) ? free
            : byKey.GetValueOrDefault(Key(u with { Place = u.Place with { Row = row, SeedFree = false } }), double.NaN);
    }

    /// <summary>What makes a unit; a seed-free row (from scratch, SAL's random init) has no pre-training seed.</summary>
    private static (string, string, string, string, string, int, string) Key(ComparisonUnit u) =>
        (u.Split, u.Place.Row, u.Place.Column, u.Place.SeedFree ? "" : u.PretrainSeed, u.EvalSeed, u.Fold, u.CaseId);
}
