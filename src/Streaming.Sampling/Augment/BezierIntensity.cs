using Streaming.Sampling.Random;

namespace Streaming.Sampling.Augment;

/// <summary>Inner control points of a cubic Bezier from (0,0) to (1,1); Inverted flips the curve to decreasing.</summary>
public sealed record BezierParameters(bool Active, double X1, double Y1, double X2, double Y2, bool Inverted)
{
    public static readonly BezierParameters None = new(false, 0, 0, 0, 0, false);
}

/// <summary>
/// Models Genesis' non-linear intensity transform on [0, 1] values: control points ~ U(0,1); the sampled curve's x and
/// y values are each sorted, which makes a monotone map; with probability 0.5 it is the decreasing twin (the
/// reference reaches that case by leaving y unsorted). Applied through a 1024-entry lookup table with linear
/// interpolation.
/// </summary>
public static class BezierIntensity
{
    private const int CurveSamples = 1000;
    private const int Lut = 1024;

    public static BezierParameters Draw(ref KeyedRandom rng, AugmentationOptions o)
    {
        if (!rng.Chance(o.BezierProbability)) return BezierParameters.None;
        return new(true, rng.NextDouble(), rng.NextDouble(), rng.NextDouble(), rng.NextDouble(), rng.Chance(0.5));
    }

    /// <summary>The map sampled at Lut+1 equally spaced inputs in [0, 1].</summary>
    public static float[] Table(BezierParameters p)
    {
        var xs = new double[CurveSamples];
        var ys = new double[CurveSamples];
        for (var i = 0; i < CurveSamples; i++)
        {
            var t = i / (double)(CurveSamples - 1);
            // The (0,0) control point contributes nothing to either coordinate.
            double b = 3 * (1 - t) * (1 - t) * t, c = 3 * (1 - t) * t * t, d = t * t * t;
            xs[i] = b * p.X1 + c * p.X2 + d;
            ys[i] = b * p.Y1 + c * p.Y2 + d;
        }
        Array.Sort(xs);
        Array.Sort(ys);
        if (p.Inverted) Array.Reverse(ys);
        var lut = new float[Lut + 1];
        var j = 0;
        for (var k = 0; k <= Lut; k++)
        {
            var x = k / (double)Lut;
            while (j < CurveSamples - 2 && xs[j + 1] < x) j++;
            var span = xs[j + 1] - xs[j];
            var f = span > 0 ? Math.Clamp((x - xs[j]) / span, 0, 1) : 0;
            lut[k] = (float)(ys[j] + f * (ys[j + 1] - ys[j]));
        }
        return lut;
    }

    public static void Apply(Span<float> view, BezierParameters p)
    {
        if (!p.Active) return;
        var lut = Table(p);
        for (var i = 0; i < view.Length; i++)
        {
            var x = Math.Clamp(view[i], 0f, 1f) * Lut;
            var k = Math.Min((int)x, Lut - 1);
            var f = x - k;
            view[i] = lut[k] + f * (lut[k + 1] - lut[k]);
        }
    }
}
