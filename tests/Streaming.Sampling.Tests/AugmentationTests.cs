using Streaming.Imaging.Volumes;
using Streaming.Sampling.Augment;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Tests;

public class AugmentationTests
{
    private static readonly AugmentationOptions Vox2Vec = new();

    [Fact]
    public void NoiseHasTheDrawnStandardDeviationAndZeroMean()
    {
        var v = new float[64 * 64 * 16 + 5]; // a length that is not a multiple of the SIMD width
        GaussianNoise.Apply(v, new GaussianNoiseParameters(20, 12345));
        double mean = v.Average(x => (double)x), std = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        // Standard errors: mean 20/sqrt(65541) = 0.08, std 20/sqrt(2 * 65541) = 0.055.
        Assert.InRange(mean, -0.4, 0.4);
        Assert.InRange(std, 19.7, 20.3);
        var fourth = v.Average(x => Math.Pow(x - mean, 4)) / Math.Pow(std, 4);
        Assert.InRange(fourth, 2.85, 3.15); // Gaussian kurtosis 3 (uniform noise would give 1.8)
    }

    [Fact]
    public void NoiseDrawsFollowTheSettings()
    {
        int on = 0; double sum = 0, max = 0;
        for (var i = 0; i < 4000; i++)
        {
            var r = new RandomKey((ulong)i).Stream();
            var p = GaussianNoise.Draw(ref r, Vox2Vec);
            if (p.Std == 0) continue;
            on++; sum += p.Std; max = Math.Max(max, p.Std);
        }
        Assert.InRange(on / 4000.0, 0.47, 0.53);   // p = 0.5
        Assert.InRange(sum / on, 14, 16);         // U(0, 30) has mean 15
        Assert.InRange(max, 29, 30);
    }

    [Fact]
    public void WindowDrawsRespectFixedProbabilityAndBounds()
    {
        int fixedCount = 0;
        for (var i = 0; i < 5000; i++)
        {
            var r = new RandomKey((ulong)i * 7919).Stream();
            var w = IntensityWindow.Draw(ref r, Vox2Vec);
            if (w is { Lower: -1350, Upper: 1000 }) { fixedCount++; continue; }
            Assert.InRange(w.Lower, -1350, -1000);
            Assert.InRange(w.Upper, 300, 1000);
        }
        Assert.InRange(fixedCount / 5000.0, 0.18, 0.22); // p = 0.2
    }

    [Fact]
    public void WindowClipsAndScalesToUnitRange()
    {
        float[] v = [-2000, -1000, -175, 0, 650, 1000, 3000, -1000, -1000, 650];
        IntensityWindow.Apply(v, new IntensityWindowParameters(-1000, 650));
        Assert.Equal([0f, 0f, 0.5f, 1000f / 1650, 1f, 1f, 1f, 0f, 0f, 1f], v, new Tol(1e-6f));
    }

    [Fact]
    public void InPlaneBlurMatchesANaiveReflectConvolutionAndLeavesZAlone()
    {
        var shape = new Int3(21, 13, 3);
        var v = new float[shape.Volume];
        var r = new RandomKey(5).Stream();
        for (var i = 0; i < v.Length; i++) v[i] = (float)r.Uniform(-100, 100);
        var expected = NaiveBlur(v, shape, 1.3);
        var s = new AugmentScratch(shape);
        BlurOrSharpen.Apply(v, shape, new BlurOrSharpenParameters(FilterKind.Blur, 1.3, 0, 0), s);
        Assert.Equal(expected, v, new Tol(1e-3f));

        // A delta in slice 1 spreads in-plane only; sigma 1: centre weight = (1 / sum_k exp(-k^2/2), k=-4..4)^2.
        var d = new float[shape.Volume];
        d[shape.Index(10, 6, 1)] = 1;
        BlurOrSharpen.Apply(d, shape, new BlurOrSharpenParameters(FilterKind.Blur, 1.0, 0, 0), s);
        var c = 1 / (1 + 2 * (Math.Exp(-0.5) + Math.Exp(-2) + Math.Exp(-4.5) + Math.Exp(-8)));
        Assert.Equal(c * c, d[shape.Index(10, 6, 1)], 1e-6);
        Assert.Equal(c * c * Math.Exp(-0.5), d[shape.Index(11, 6, 1)], 1e-6);
        Assert.Equal(0f, d[shape.Index(10, 6, 0)]);
        Assert.Equal(0f, d[shape.Index(10, 6, 2)]);
        Assert.Equal(1.0, d.Sum(x => (double)x), 1e-5);
    }

    [Fact]
    public void AKernelWiderThanTheViewStillMatchesTheReference()
    {
        var shape = new Int3(9, 7, 1);
        var v = Enumerable.Range(0, 63).Select(i => (float)(i * i % 17)).ToArray();
        var expected = NaiveBlur(v, shape, 6.0); // radius 24 > both sides: repeated reflection
        BlurOrSharpen.Apply(v, shape, new BlurOrSharpenParameters(FilterKind.Blur, 6.0, 0, 0), new AugmentScratch(shape));
        Assert.Equal(expected, v, new Tol(1e-3f));
    }

    [Fact]
    public void SharpeningIsUnsharpMaskingOfTheBlurredView()
    {
        var shape = new Int3(17, 9, 2);
        var v = new float[shape.Volume];
        var r = new RandomKey(9).Stream();
        for (var i = 0; i < v.Length; i++) v[i] = (float)r.Uniform(0, 50);
        var b1 = NaiveBlur(v, shape, 0.7);
        var b2 = NaiveBlur(b1, shape, 0.5);
        var expected = b1.Select((x, i) => x + 20 * (x - b2[i])).ToArray();
        BlurOrSharpen.Apply(v, shape, new BlurOrSharpenParameters(FilterKind.Sharpen, 0.7, 0.5, 20), new AugmentScratch(shape));
        Assert.Equal(expected, v, new Tol(2e-2f));
        var flat = Enumerable.Repeat(42f, (int)shape.Volume).ToArray();
        BlurOrSharpen.Apply(flat, shape, new BlurOrSharpenParameters(FilterKind.Sharpen, 0.7, 0.5, 20), new AugmentScratch(shape));
        Assert.All(flat, x => Assert.Equal(42f, x, 1e-3f));
    }

    [Fact]
    public void BlurOrSharpenDrawsAreHalfOffThenEvenlySplit()
    {
        var counts = new int[3];
        for (var i = 0; i < 4000; i++)
        {
            var r = new RandomKey((ulong)i + 99).Stream();
            var p = BlurOrSharpen.Draw(ref r, Vox2Vec);
            counts[(int)p.Kind]++;
            if (p.Kind == FilterKind.Blur) Assert.InRange(p.Sigma, 0.25, 1.5);
            if (p.Kind == FilterKind.Sharpen) { Assert.InRange(p.Sigma, 0.5, 1.0); Assert.InRange(p.Alpha, 10, 30); Assert.Equal(0.5, p.Sigma2); }
        }
        Assert.InRange(counts[0] / 4000.0, 0.47, 0.53);
        Assert.InRange(counts[1] / 4000.0, 0.22, 0.28);
        Assert.InRange(counts[2] / 4000.0, 0.22, 0.28);
    }

    [Fact]
    public void LocalShufflingPermutesInsideBlocksOnly()
    {
        var shape = new Int3(12, 10, 6);
        var v = Enumerable.Range(0, (int)shape.Volume).Select(i => (float)i).ToArray();
        var o = new AugmentationOptions { LocalShuffleProbability = 1, LocalShuffleBlocks = 1, LocalShuffleMaxBlockSize = 4 };
        var r = new RandomKey(3).Stream();
        var p = LocalPixelShuffle.Draw(ref r, o, shape);
        var (bo, bs) = (p.Origins[0], p.Sizes[0]);
        LocalPixelShuffle.Apply(v, shape, p, new AugmentScratch(shape));
        Assert.True(bs.Volume >= 4, $"seed 3 should give a block of several voxels, got {bs}");
        var inside = new List<float>();
        var original = new List<float>();
        for (var i = 0; i < v.Length; i++)
        {
            int x = i % 12, y = i / 12 % 10, z = i / 120;
            var inBlock = x >= bo.X && x < bo.X + bs.X && y >= bo.Y && y < bo.Y + bs.Y && z >= bo.Z && z < bo.Z + bs.Z;
            if (inBlock) { inside.Add(v[i]); original.Add(i); } else Assert.Equal(i, v[i]);
        }
        // Same values (the block's own), new places.
        Assert.Equal(original, inside.Order().ToList());
        Assert.NotEqual(original, inside);
    }

    [Fact]
    public void InpaintingFillsBoxesWithUnitNoiseAndNothingElse()
    {
        var shape = new Int3(24, 24, 12);
        var o = new AugmentationOptions { InpaintProbability = 1 };
        InpaintParameters p;
        var seed = 0UL;
        do { var r = new RandomKey(seed++).Stream(); p = Inpainting.Draw(ref r, o, shape); } while (p.Origins.Length == 0);
        var v = Enumerable.Repeat(5f, (int)shape.Volume).ToArray();
        Inpainting.Apply(v, shape, p);
        for (var b = 0; b < p.Origins.Length; b++)
        {
            var s = p.Sizes[b];
            Assert.InRange(s.X, 4, 8); Assert.InRange(s.Y, 4, 8); Assert.InRange(s.Z, 2, 4); // sides 1/6..1/3
        }
        var changed = v.Count(x => x != 5f);
        Assert.True(changed > 0);
        Assert.All(v.Where(x => x != 5f), x => Assert.InRange(x, 0f, 1f));
        Assert.True(changed <= p.Sizes.Sum(s => s.Volume));
    }

    [Fact]
    public void BezierMapsUnitRangeMonotonically()
    {
        var up = BezierIntensity.Table(new BezierParameters(true, 0.2, 0.9, 0.7, 0.1, false));
        var down = BezierIntensity.Table(new BezierParameters(true, 0.2, 0.9, 0.7, 0.1, true));
        Assert.Equal(0f, up[0], 1e-3f); Assert.Equal(1f, up[^1], 1e-3f);
        Assert.Equal(1f, down[0], 1e-3f); Assert.Equal(0f, down[^1], 1e-3f);
        for (var i = 1; i < up.Length; i++) { Assert.True(up[i] >= up[i - 1]); Assert.True(down[i] <= down[i - 1]); }
        float[] v = [0f, 0.25f, 0.5f, 1f];
        BezierIntensity.Apply(v, new BezierParameters(true, 0.2, 0.9, 0.7, 0.1, false));
        Assert.All(v, x => Assert.InRange(x, 0f, 1f));
    }

    [Fact]
    public void TheSameKeyGivesTheSameAugmentedViewEverywhere()
    {
        var shape = new Int3(16, 16, 4);
        var o = new AugmentationOptions { LocalShuffleProbability = 1, InpaintProbability = 1, BezierProbability = 1, LocalShuffleBlocks = 20 };
        float[] Run()
        {
            var v = Enumerable.Range(0, (int)shape.Volume).Select(i => (float)(i % 700 - 500)).ToArray();
            var p = ViewAugmentation.Draw(new RandomKey(77), o, shape);
            ViewAugmentation.Apply(v, shape, p, new AugmentScratch(shape));
            return v;
        }
        var a = Run();
        Assert.True(a.AsSpan().SequenceEqual(Run()));
        Assert.All(a, x => Assert.InRange(x, 0f, 1f));
    }

    private static float[] NaiveBlur(float[] v, Int3 s, double sigma)
    {
        var k = GaussianKernel.Create(sigma);
        var r = k.Length / 2;
        var tmp = new float[v.Length];
        var outp = new float[v.Length];
        for (var z = 0; z < s.Z; z++)
            for (var y = 0; y < s.Y; y++)
                for (var x = 0; x < s.X; x++)
                {
                    double a = 0;
                    for (var j = -r; j <= r; j++) a += k[j + r] * v[s.Index(GaussianKernel.Reflect(x + j, s.X), y, z)];
                    tmp[s.Index(x, y, z)] = (float)a;
                }
        for (var z = 0; z < s.Z; z++)
            for (var y = 0; y < s.Y; y++)
                for (var x = 0; x < s.X; x++)
                {
                    double a = 0;
                    for (var j = -r; j <= r; j++) a += k[j + r] * tmp[s.Index(x, GaussianKernel.Reflect(y + j, s.Y), z)];
                    outp[s.Index(x, y, z)] = (float)a;
                }
        return outp;
    }

    private sealed class Tol(float eps) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= eps;
        public int GetHashCode(float x) => 0;
    }
}
