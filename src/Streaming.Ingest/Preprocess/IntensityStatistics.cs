using System.Numerics;
using Streaming.Shards.Format;

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
        var (sum, count) = MaskedSum(image, body, 0f, square: false);
        if (count == 0) return (0, 0);
        var mean = sum / count;
        var (ss, _) = MaskedSum(image, body, (float)mean, square: true);
        return (mean, Math.Sqrt(ss / count));
    }

    /// <summary>
    /// Sum over masked voxels of (v - shift) or (v - shift)^2, and the mask count. SIMD: 32 mask bytes are widened to
    /// four 0/1 float vectors that multiply the values; float partial sums are flushed to double every block.
    /// </summary>
    private static (double Sum, long Count) MaskedSum(ReadOnlySpan<float> image, ReadOnlySpan<byte> body, float shift, bool square)
    {
        double total = 0;
        long count = 0;
        var i = 0;
        var wb = Vector<byte>.Count;
        var wf = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && wb == 4 * wf)
        {
            const int BlockVectors = 64;
            var vshift = new Vector<float>(shift);
            var one = Vector<byte>.One;
            while (i <= image.Length - wb)
            {
                var acc = Vector<float>.Zero;
                var cnt = Vector<float>.Zero;
                for (var blk = 0; blk < BlockVectors && i <= image.Length - wb; blk++, i += wb)
                {
                    // Normalise mask bytes to 0/1 so any nonzero value counts once.
                    var m = Vector.Min(new Vector<byte>(body.Slice(i, wb)), one);
                    Vector.Widen(m, out var m0, out var m1);
                    Vector.Widen(m0, out var q0, out var q1);
                    Vector.Widen(m1, out var q2, out var q3);
                    var f0 = Vector.ConvertToSingle(q0); var f1 = Vector.ConvertToSingle(q1);
                    var f2 = Vector.ConvertToSingle(q2); var f3 = Vector.ConvertToSingle(q3);
                    var d0 = new Vector<float>(image.Slice(i, wf)) - vshift;
                    var d1 = new Vector<float>(image.Slice(i + wf, wf)) - vshift;
                    var d2 = new Vector<float>(image.Slice(i + 2 * wf, wf)) - vshift;
                    var d3 = new Vector<float>(image.Slice(i + 3 * wf, wf)) - vshift;
                    if (square) { d0 *= d0; d1 *= d1; d2 *= d2; d3 *= d3; }
                    acc += d0 * f0 + d1 * f1 + d2 * f2 + d3 * f3;
                    cnt += f0 + f1 + f2 + f3;
                }
                total += Vector.Sum(acc);
                count += (long)Vector.Sum(cnt);
            }
        }
        for (; i < image.Length; i++)
        {
            if (body[i] == 0) continue;
            double d = image[i] - shift;
            total += square ? d * d : d;
            count++;
        }
        return (total, count);
    }
}
