namespace Streaming.Evaluation.Data;

/// <summary>
/// Repeated train/test hold-out splits (voxel-level SimSiam: 70 train / 20 test): split r shuffles the sorted ids by a
/// seeded Fisher–Yates (seed + r) and holds out the first <c>testCases</c>; the rest train, in that shuffled order,
/// so a label fraction takes a prefix and smaller fractions are subsets of larger ones.
/// </summary>
public static class HoldoutSplit
{
    public static IReadOnlyList<FoldSplit> Split(IEnumerable<string> ids, int testCases, int repeats, long seed, int? maxTrain = null)
    {
        var sorted = ids.Distinct().Order(StringComparer.Ordinal).ToArray();
        if (repeats < 1) throw new ArgumentException($"hold-out needs at least one repeat, got {repeats}");
        if (testCases < 1 || testCases >= sorted.Length)
            throw new ArgumentException($"hold-out of {testCases} test cases needs more than {testCases} labeled cases (have {sorted.Length})");
        var splits = new List<FoldSplit>(repeats);
        for (var r = 0; r < repeats; r++)
        {
            var order = (string[])sorted.Clone();
            var s = seed + r;
            var rng = new Random(unchecked((int)(s ^ (s >> 32))));
            for (var i = order.Length - 1; i > 0; i--)
            {
                var j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            var train = order.Skip(testCases).ToList();
            if (maxTrain is { } m) train = train.Take(m).ToList();
            splits.Add(new FoldSplit(r, train, order.Take(testCases).ToList()));
        }
        return splits;
    }

    /// <summary>The first ceil(fraction × n) training cases (at least one).</summary>
    public static IReadOnlyList<string> Fraction(IReadOnlyList<string> train, double fraction) =>
        train.Take(Math.Max(1, (int)Math.Ceiling(fraction * train.Count - 1e-9))).ToList();
}
