using System.Numerics;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Augment;

public enum FilterKind { None, Blur, Sharpen }

/// <summary>vox2vec's in-plane filter: Gaussian blur, or unsharp sharpening b1 + alpha (b1 - G(sigma2) b1), b1 = G(sigma1) x.</summary>
public sealed record BlurOrSharpenParameters(FilterKind Kind, double Sigma, double Sigma2, double Alpha)
{
    public static readonly BlurOrSharpenParameters None = new(FilterKind.None, 0, 0, 0);
}

public static class BlurOrSharpen
{
    /// <summary>With probability P one of the two filters, each equally likely.</summary>
    public static BlurOrSharpenParameters Draw(ref KeyedRandom rng, AugmentationOptions o)
    {
        if (!rng.Chance(o.BlurOrSharpenProbability)) return BlurOrSharpenParameters.None;
        return rng.Chance(0.5)
            ? new(FilterKind.Blur, rng.Uniform(o.BlurSigmaMin, o.BlurSigmaMax), 0, 0)
            : new(FilterKind.Sharpen, rng.Uniform(o.SharpenSigma1Min, o.SharpenSigma1Max), o.SharpenSigma2, rng.Uniform(o.SharpenAlphaMin, o.SharpenAlphaMax));
    }

    public static void Apply(Span<float> view, Int3 shape, BlurOrSharpenParameters p, AugmentScratch s)
    {
        switch (p.Kind)
        {
            case FilterKind.None: return;
            case FilterKind.Blur:
                Blur(view, shape, p.Sigma, s);
                return;
            case FilterKind.Sharpen:
                Blur(view, shape, p.Sigma, s);
                var b2 = s.View.AsSpan(0, view.Length);
                view.CopyTo(b2);
                Blur(b2, shape, p.Sigma2, s);
                Unsharp(view, b2, (float)p.Alpha);
                return;
        }
    }

    private static void Blur(Span<float> view, Int3 shape, double sigma, AugmentScratch s)
    {
        var k = GaussianKernel.Create(sigma);
        InPlaneGaussian.Apply(view, shape, k, s.Slice, s.Row(shape.X + k.Length));
    }

    private static void Unsharp(Span<float> b1, ReadOnlySpan<float> b2, float alpha)
    {
        var vc = Vector<float>.Count;
        var a = new Vector<float>(alpha);
        var i = 0;
        for (; i + vc <= b1.Length; i += vc)
        {
            var v1 = new Vector<float>(b1.Slice(i, vc));
            Vector.FusedMultiplyAdd(a, v1 - new Vector<float>(b2.Slice(i, vc)), v1).CopyTo(b1.Slice(i, vc));
        }
        for (; i < b1.Length; i++) b1[i] = MathF.FusedMultiplyAdd(alpha, b1[i] - b2[i], b1[i]);
    }
}
