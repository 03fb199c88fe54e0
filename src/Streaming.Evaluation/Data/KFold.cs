namespace Streaming.Evaluation.Data;

/// <summary>One fold: which cases train the head and which are held out for scoring.</summary>
public sealed record FoldSplit(int Fold, IReadOnlyList<string> Train, IReadOnlyList<string> Test);

/// <summary>
/// Deterministic k-fold splits: ids are sorted, shuffled by a seeded Fisher–Yates, and dealt round-robin into k test
/// folds, so the same (ids, k, seed) always give the same folds whatever order the catalog lists them in.
/// </summary>
public static class KFold
{
    public static IReadOnlyList<FoldSplit> Split(IEnumerable<string> ids, int k, long seed, int? maxTrain = null)
    {
        var sorted = ids.Distinct().Order(StringComparer.Ordinal).ToArray();
        if (k < 2) throw new ArgumentException($"k-fold needs k >= 2, got {k}");
        if (sorted.Length < k) throw new ArgumentException($"{sorted.Length} labeled cases cannot make {k} folds");
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        for (var i = sorted.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (sorted[i], sorted[j]) = (sorted[j], sorted[i]);
        }
        var folds = new List<FoldSplit>(k);
        for (var f = 0; f < k; f++)
        {
            var test = sorted.Where((_, i) => i % k == f).ToList();
            var train = sorted.Where((_, i) => i % k != f).ToList();
            if (maxTrain is { } m) train = train.Take(m).ToList();
            folds.Add(new FoldSplit(f, train, test));
        }
        return folds;
    }
}
