using Streaming.Evaluation.Protocols;

namespace Streaming.Evaluation.Comparison;

/// <summary>
/// Turns the manifest's reports into paired units. A row is paired with its reference on the same held-out volume:
/// in the same report (same folds, evaluation seed and architecture) for random init and the plain U-Net; for from
/// scratch, with the unit of the same split, evaluation seed, column (N), fold and volume from any report, since
/// training from scratch does not depend on the pre-training seed.
/// </summary>
public static class ComparisonUnits
{
    public static IReadOnlyList<ComparisonUnit> Collect(IReadOnlyList<(ManifestRun Run, StoredReport Report)> runs, Action<string>? log = null)
    {
        var units = new List<ComparisonUnit>();
        var owner = new Dictionary<(string, string, string, string, string, int, string), string>();
        var scratch = new Dictionary<(string, string, string, int, string), ComparisonUnit>();
        foreach (var (run, report) in runs)
        {
            var mine = new List<ComparisonUnit>();
            string? repeated = null;
            foreach (var c in report.Cases)
            {
                var place = ArmPlacement.Place(c, run.Method, report.MaxTrainCases) ?? throw new InvalidDataException(
                    $"{report.Path}: arm '{c.Arm}' (protocol {c.Protocol}, backbone {c.Backbone}) maps to no comparison column; known: linear, nonlinear, " +
                    "knn (arms ending -<n>shot), finetune, scratch, unet, simsiam, scl, slice-finetune (arms M=<m>/...)");
                var unit = new ComparisonUnit(run.Split, place, run.PretrainSeed, run.EvalSeed, c.Fold, c.CaseId, CaseScoring.VolumeDice(c), c.Classes);
                if (place.Row == ArmPlacement.FromScratch)
                {
                    // The benchmark may run scratch beside every method: one copy per evaluation seed is the unit.
                    if (!scratch.TryAdd(ScratchKey(unit), unit)) { repeated ??= owner[Key(scratch[ScratchKey(unit)])]; continue; }
                }
                else if (!owner.TryAdd(Key(unit), report.Path) && owner[Key(unit)] != report.Path)
                    throw new InvalidDataException($"{report.Path}: repeats {place.Row} / {place.Column} on {c.CaseId} (fold {c.Fold}) of {owner[Key(unit)]} " +
                                                   $"for split {run.Split}, pre-training seed {run.PretrainSeed}, evaluation seed {run.EvalSeed}");
                owner.TryAdd(Key(unit), report.Path);
                mine.Add(unit);
            }
            if (repeated is not null)
                log?.Invoke($"{report.Path}: its from-scratch volumes repeat those of {repeated} (same split, evaluation seed, N, fold, volume); the first in the manifest is used");
            var here = mine.GroupBy(u => (u.Place.Row, u.Place.Column, u.Fold, u.CaseId)).ToDictionary(g => g.Key, g => g.First().Dice);
            units.AddRange(mine.Select(u => u.Place is { Reference: { } r, AcrossReports: false }
                ? u with { ReferenceDice = here.GetValueOrDefault((r, u.Place.Column, u.Fold, u.CaseId), double.NaN) }
                : u));
        }
        return units.Select(u => u.Place is { Reference: not null, AcrossReports: true }
            ? u with { ReferenceDice = scratch.TryGetValue(ScratchKey(u), out var s) ? s.Dice : double.NaN }
            : u).ToList();
    }

    private static (string, string, string, string, string, int, string) Key(ComparisonUnit u) =>
        (u.Split, u.Place.Row, u.Place.Column, u.PretrainSeed, u.EvalSeed, u.Fold, u.CaseId);

    private static (string, string, string, int, string) ScratchKey(ComparisonUnit u) => (u.Split, u.EvalSeed, u.Place.Column, u.Fold, u.CaseId);
}
