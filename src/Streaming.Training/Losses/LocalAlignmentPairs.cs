namespace Streaming.Training.Losses;

/// <summary>
/// The slice pairs SAL's local alignment compares: every ordered pair (i, j), i != j, of samples from the same volume
/// whose slice indices a, b satisfy |a - b| / N < theta (N = the volume's slice count). The two augmented views of
/// one slice (a = b) are such a pair. Ordered, because the row-wise maximum is not symmetric: (i, j) matches i's
/// pixels in j and (j, i) the reverse.
/// </summary>
public static class LocalAlignmentPairs
{
    /// <param name="volume">Per sample: which volume of the batch it comes from.</param>
    /// <param name="index">Per sample: its slice index in that volume.</param>
    /// <param name="count">Per sample: the volume's slice count N.</param>
    /// <returns>Flattened (P, 2) pairs.</returns>
    public static long[] Select(IReadOnlyList<int> volume, IReadOnlyList<int> index, IReadOnlyList<int> count, double theta)
    {
        int n = volume.Count;
        if (index.Count != n || count.Count != n) throw new ArgumentException("volume, index and count must have one entry per sample");
        if (!(theta > 0 && theta <= 1)) throw new ArgumentException("theta must be in (0, 1]");
        var pairs = new List<long>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j || volume[i] != volume[j]) continue;
                if (count[i] != count[j]) throw new ArgumentException($"samples {i} and {j} share volume {volume[i]} but not its slice count");
                if (Math.Abs(index[i] - index[j]) < theta * count[i]) { pairs.Add(i); pairs.Add(j); }
            }
        return pairs.ToArray();
    }
}
