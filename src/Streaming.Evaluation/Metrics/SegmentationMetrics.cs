using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Metrics;

/// <summary>
/// Dice, HD95 and mean surface distance per class between a predicted and a reference label map on the same grid.
/// Surfaces are the mask voxels with a 6-neighbour outside the mask (the grid border counts as outside); distances
/// are between voxel centres in mm. HD95 is max of the two directed 95th percentiles (numpy's linear interpolation)
/// and the mean surface distance averages both directions' distances together, as MONAI's
/// compute_hausdorff_distance(percentile=95) and compute_average_surface_distance(symmetric=True) do.
/// </summary>
public static class SegmentationMetrics
{
    public static IReadOnlyList<ClassMetrics> Compute(ReadOnlySpan<byte> predicted, ReadOnlySpan<byte> reference, Int3 shape, Vec3 spacing,
        IReadOnlyList<int> labels)
    {
        if (predicted.Length != reference.Length || predicted.Length != shape.Volume)
            throw new ArgumentException($"prediction ({predicted.Length}) and reference ({reference.Length}) must both have {shape.Volume} voxels");
        var result = new List<ClassMetrics>(labels.Count);
        foreach (var label in labels) result.Add(ForClass(predicted, reference, shape, spacing, (byte)label));
        return result;
    }

    public static ClassMetrics ForClass(ReadOnlySpan<byte> predicted, ReadOnlySpan<byte> reference, Int3 shape, Vec3 spacing, byte label)
    {
        long p = 0, r = 0, both = 0;
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        for (int z = 0, i = 0; z < shape.Z; z++)
            for (var y = 0; y < shape.Y; y++)
                for (var x = 0; x < shape.X; x++, i++)
                {
                    bool a = predicted[i] == label, b = reference[i] == label;
                    if (!a && !b) continue;
                    if (a) p++;
                    if (b) r++;
                    if (a && b) both++;
                    x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); z0 = Math.Min(z0, z);
                    x1 = Math.Max(x1, x); y1 = Math.Max(y1, y); z1 = Math.Max(z1, z);
                }
        var dice = p + r == 0 ? double.NaN : 2.0 * both / (p + r);
        if (p == 0 || r == 0) return new ClassMetrics(label, r, p, both, dice, double.NaN, double.NaN);

        // Distances only within the bounding box of both masks: every surface voxel and its nearest partner lie in it,
        // and the exact transform restricted to a box containing all sources is still exact.
        var lo = new Int3(x0, y0, z0);
        var box = new Int3(x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1);
        var surfP = Surface(predicted, shape, label, lo, box);
        var surfR = Surface(reference, shape, label, lo, box);
        var dP = DistanceTransform.SquaredToNearest(surfP, box.X, box.Y, box.Z, spacing.X, spacing.Y, spacing.Z);
        var dR = DistanceTransform.SquaredToNearest(surfR, box.X, box.Y, box.Z, spacing.X, spacing.Y, spacing.Z);
        var pToR = Gather(surfP, dR);
        var rToP = Gather(surfR, dP);
        var hd95 = Math.Max(Percentile(pToR, 95), Percentile(rToP, 95));
        var msd = (pToR.Sum() + rToP.Sum()) / (pToR.Length + rToP.Length);
        return new ClassMetrics(label, r, p, both, dice, hd95, msd);
    }

    /// <summary>Surface voxels of the class inside the box (box-local, x fastest).</summary>
    internal static bool[] Surface(ReadOnlySpan<byte> map, Int3 shape, byte label, Int3 lo, Int3 box)
    {
        var s = new bool[box.Volume];
        for (int z = 0, i = 0; z < box.Z; z++)
            for (var y = 0; y < box.Y; y++)
                for (var x = 0; x < box.X; x++, i++)
                {
                    int gx = x + lo.X, gy = y + lo.Y, gz = z + lo.Z;
                    if (map[(int)shape.Index(gx, gy, gz)] != label) continue;
                    s[i] = !In(map, shape, label, gx - 1, gy, gz) || !In(map, shape, label, gx + 1, gy, gz) ||
                           !In(map, shape, label, gx, gy - 1, gz) || !In(map, shape, label, gx, gy + 1, gz) ||
                           !In(map, shape, label, gx, gy, gz - 1) || !In(map, shape, label, gx, gy, gz + 1);
                }
        return s;
    }

    private static bool In(ReadOnlySpan<byte> map, Int3 shape, byte label, int x, int y, int z) =>
        shape.Contains(new Int3(x, y, z)) && map[(int)shape.Index(x, y, z)] == label;

    private static double[] Gather(bool[] surface, double[] squared)
    {
        var d = new List<double>();
        for (var i = 0; i < surface.Length; i++) if (surface[i]) d.Add(Math.Sqrt(squared[i]));
        return d.ToArray();
    }

    /// <summary>numpy.percentile with linear interpolation between closest ranks.</summary>
    public static double Percentile(double[] values, double q)
    {
        if (values.Length == 0) return double.NaN;
        var s = (double[])values.Clone();
        Array.Sort(s);
        var rank = q / 100 * (s.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, s.Length - 1);
        return s[lo] + (rank - lo) * (s[hi] - s[lo]);
    }
}
