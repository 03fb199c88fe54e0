using Streaming.Shards.Format;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Sources;

/// <summary>
/// Dataset mixing: pick a dataset by weight, then a volume uniformly inside it. No weights = every volume equally
/// likely. Volumes without body voxels are never drawn (no anchor could be placed).
/// </summary>
public sealed class VolumePicker
{
    private readonly int[][] _byDataset;
    private readonly double[] _cumulative;

    public VolumePicker(IReadOnlyList<ShardVolumeInfo> volumes, IReadOnlyDictionary<string, double> weights)
    {
        var groups = volumes.Select((v, i) => (v, i)).Where(t => t.v.BodyVoxels > 0)
            .GroupBy(t => t.v.Dataset, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        foreach (var name in weights.Keys)
            if (!groups.Any(g => string.Equals(g.Key, name, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"sampling.datasetWeights names dataset '{name}', which has no volume with body voxels in the cache");
        var w = groups.Select(g => weights.Count == 0 ? g.Count()
            : weights.FirstOrDefault(kv => string.Equals(kv.Key, g.Key, StringComparison.OrdinalIgnoreCase)).Value).ToArray();
        var keep = Enumerable.Range(0, groups.Count).Where(i => w[i] > 0).ToArray();
        if (keep.Length == 0) throw new ArgumentException("sampling: no volume can be drawn (no body voxels, or all dataset weights are 0)");
        _byDataset = [.. keep.Select(i => groups[i].Select(t => t.i).ToArray())];
        Datasets = [.. keep.Select(i => groups[i].Key)];
        _cumulative = new double[keep.Length];
        double total = keep.Sum(i => w[i]), acc = 0;
        for (var k = 0; k < keep.Length; k++) _cumulative[k] = (acc += w[keep[k]]) / total;
        DrawableCount = _byDataset.Sum(a => a.Length);
    }

    public IReadOnlyList<string> Datasets { get; }
    public int DrawableCount { get; }

    /// <summary>The probability of each dataset in <see cref="Datasets"/> order.</summary>
    public double Probability(int dataset) => _cumulative[dataset] - (dataset == 0 ? 0 : _cumulative[dataset - 1]);

    public int Pick(ref KeyedRandom rng)
    {
        var u = rng.NextDouble();
        var d = 0;
        while (d < _cumulative.Length - 1 && u >= _cumulative[d]) d++;
        var members = _byDataset[d];
        return members[rng.NextInt(members.Length)];
    }
}
