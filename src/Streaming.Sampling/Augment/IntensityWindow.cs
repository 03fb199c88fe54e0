using System.Numerics;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Augment;

/// <summary>An HU window [Lower, Upper] that is clipped and scaled to [0, 1].</summary>
public sealed record IntensityWindowParameters(double Lower, double Upper);

/// <summary>vox2vec's window: fixed [WindowMin, WindowMax] with probability P, else lower ~ U(..), upper ~ U(..).</summary>
public static class IntensityWindow
{
    public static IntensityWindowParameters Draw(ref KeyedRandom rng, AugmentationOptions o) =>
        rng.Chance(o.FixedWindowProbability)
            ? new(o.WindowMin, o.WindowMax)
            : new(rng.Uniform(o.WindowLowerMin, o.WindowLowerMax), rng.Uniform(o.WindowUpperMin, o.WindowUpperMax));

    public static void Apply(Span<float> view, IntensityWindowParameters p) => Apply(view, p.Lower, p.Upper);

    /// <summary>Clip to [lower, upper] and scale to [0, 1], in place (SIMD; each value as the scalar formula gives it).</summary>
    public static void Apply(Span<float> view, double lower, double upper)
    {
        var lo = (float)lower;
        var inv = (float)(1.0 / (upper - lower));
        var vc = Vector<float>.Count;
        var vlo = new Vector<float>(lo);
        var vinv = new Vector<float>(inv);
        var i = 0;
        for (; i + vc <= view.Length; i += vc)
        {
            var d = view.Slice(i, vc);
            var v = (new Vector<float>(d) - vlo) * vinv;
            Vector.Min(Vector.Max(v, Vector<float>.Zero), Vector<float>.One).CopyTo(d);
        }
        for (; i < view.Length; i++) view[i] = Math.Clamp((view[i] - lo) * inv, 0f, 1f);
    }
}
