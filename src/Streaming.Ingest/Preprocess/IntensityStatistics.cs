using System.Numerics;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// Summary statistics of a preprocessed image: min, max, mean, std (population, ddof = 0) over all voxels,
/// P01 = the 0.1st and P999 = the 99.9th percentile (NumPy "linear" definition, exact), and mean/std over body voxels.
/// </summary>
public static class IntensityStatistics
{
    public static IntensityStats Compute(ReadOnlySpan<float> image, ReadOnlySpan<byte> body)
    {
        if (image.IsEmpty) throw new ArgumentException("empty image");
        if (body.Length != image.Length) throw new ArgumentException("body mask length differs from image length");
        var (min, max) = VoxelMath.MinMax(image);
        var mean = Sum(image) / image.Length;
        var std = Math.Sqrt(SumSquaredDeviation(image, mean) / image.Length);
        var p = Percentiles.Compute(image, 0.1, 99.9);
        var (bodyMean, bodyStd) = MaskedMeanStd(image, body);
        return new IntensityStats(min, max, mean, std, p[0], p[1], bodyMean, bodyStd);
    }

    /// <summary>Sum in float vectors over short blocks, flushed to double, so the error stays small on 10^8 voxels.</summary>
    private static double Sum(ReadOnlySpan<float> a)
    {
        const int Block = 1024;
        double total = 0;
        var w = Vector<float>.Count;
        for (var start = 0; start < a.Length; start += Block)
        {
            var blk = a.Slice(start, Math.Min(Block, a.Length - start));
            var acc = Vector<float>.Zero;
            var i = 0;
            for (; i <= blk.Length - w; i += w) acc += new Vector<float>(blk.Slice(i, w));
            double s = Vector.Sum(acc);
            for (; i < blk.Length; i++) s += blk[i];
            total += s;
        }
        return total;
    }

    private static double SumSquaredDeviation(ReadOnlySpan<float> a, double mean)
    {
        const int Block = 1024;
        double total = 0;
        var w = Vector<float>.Count;
        var m = new Vector<float>((float)mean);
        for (var start = 0; start < a.Length; start += Block)
        {
            var blk = a.Slice(start, Math.Min(Block, a.Length - start));
            var acc = Vector<float>.Zero;
            var i = 0;
            for (; i <= blk.Length - w; i += w)
            {
                var d = new Vector<float>(blk.Slice(i, w)) - m;
                acc += d * d;
            }
            double s = Vector.Sum(acc);
            for (; i < blk.Length; i++) { var d = blk[i] - mean; s += d * d; }
            total += s;
        }
        return total;
    }

    /// <summary>Mean and population std of image where body != 0; (0, 0) when the mask is empty.</summary>
    private static (double Mean, double Std) MaskedMeanStd(ReadOnlySpan<float> image, ReadOnlySpan<byte> body)
    {
        double sum = 0;
        long count = 0;
        for (var i = 0; i < image.Length; i++)
            if (body[i] != 0) { sum += image[i]; count++; }
        if (count == 0) return (0, 0);
        var mean = sum / count;
        double ss = 0;
        for (var i = 0; i < image.Length; i++)
            if (body[i] != 0) { var d = image[i] - mean; ss += d * d; }
        return (mean, Math.Sqrt(ss / count));
    }
}
