using Streaming.Sampling.Random;

namespace Streaming.Training.Losses;

/// <summary>
/// Picks the voxels of one level that the auxiliary loss sees (voxel-level SimSiam IV-B: "a maximum of 1700 features
/// ... more features from false-negative data ..., where the maximum number of sampled false-negative data was 1000").
/// First the misclassified voxels (reference ≠ current prediction; all of them when there are at most
/// <c>maxHard</c>, else a uniform random subset), then correctly classified voxels until <c>maxVoxels</c>, dealt
/// round-robin over the classes present so small organs get voxels too, uniformly at random within each class.
/// Deterministic for a given random stream.
/// </summary>
public static class HardVoxelSampler
{
    /// <returns>Flat indices (into the level's N·D·H·W voxels), misclassified first, at most <paramref name="maxVoxels"/>.</returns>
    public static long[] Sample(ReadOnlySpan<byte> reference, ReadOnlySpan<byte> predicted, int maxVoxels, int maxHard, ref KeyedRandom rng)
    {
        if (reference.Length != predicted.Length) throw new ArgumentException($"reference ({reference.Length}) and prediction ({predicted.Length}) differ in size");
        if (maxVoxels < 1 || maxHard < 0 || maxHard > maxVoxels) throw new ArgumentException("need maxVoxels >= 1 and 0 <= maxHard <= maxVoxels");
        var hard = new List<long>();
        var easy = new List<long>[256];
        for (var i = 0; i < reference.Length; i++)
        {
            if (reference[i] != predicted[i]) hard.Add(i);
            else (easy[reference[i]] ??= []).Add(i);
        }
        var picked = new List<long>(Math.Min(maxVoxels, reference.Length));
        picked.AddRange(TakeRandom(hard, maxHard, ref rng));
        var pools = easy.Where(l => l is not null).Select(l => l!).ToList();
        var next = new int[pools.Count];   // each pool is shuffled lazily: the first next[c] entries are drawn
        var open = pools.Count;
        while (picked.Count < maxVoxels && open > 0)
        {
            open = 0;
            for (var c = 0; c < pools.Count && picked.Count < maxVoxels; c++)
            {
                var pool = pools[c];
                if (next[c] >= pool.Count) continue;
                var j = next[c] + rng.NextInt(pool.Count - next[c]);
                (pool[next[c]], pool[j]) = (pool[j], pool[next[c]]);
                picked.Add(pool[next[c]++]);
                if (next[c] < pool.Count) open++;
            }
        }
        return [.. picked];
    }

    /// <summary>All of <paramref name="items"/> when there are at most <paramref name="k"/>, else k drawn without replacement.</summary>
    private static List<long> TakeRandom(List<long> items, int k, ref KeyedRandom rng)
    {
        if (items.Count <= k) return items;
        for (var i = 0; i < k; i++)
        {
            var j = i + rng.NextInt(items.Count - i);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items.GetRange(0, k);
    }
}
