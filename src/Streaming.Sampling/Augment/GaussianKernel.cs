namespace Streaming.Sampling.Augment;

/// <summary>A normalised 1-D Gaussian kernel with scipy.ndimage's radius rule (truncate 4 sigma).</summary>
public static class GaussianKernel
{
    public static float[] Create(double sigma)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), "sigma must be finite and > 0");
        return Create(sigma, (int)(4.0 * sigma + 0.5));
    }

    /// <summary>The kernel truncated at <paramref name="radius"/> taps either side (callers with their own radius rule).</summary>
    public static float[] Create(double sigma, int radius)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), "sigma must be finite and > 0");
        if (radius < 0) throw new ArgumentOutOfRangeException(nameof(radius), "radius must be >= 0");
        var w = new double[2 * radius + 1];
        double sum = 0;
        for (var i = -radius; i <= radius; i++) sum += w[i + radius] = Math.Exp(-0.5 * i * i / (sigma * sigma));
        var k = new float[w.Length];
        for (var i = 0; i < w.Length; i++) k[i] = (float)(w[i] / sum);
        return k;
    }

    /// <summary>scipy's 'reflect' boundary (d c b a | a b c d | d c b a), valid for any offset.</summary>
    public static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        var period = 2 * n;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - 1 - i;
    }
}
