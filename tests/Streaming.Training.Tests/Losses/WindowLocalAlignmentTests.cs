using Streaming.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Losses;

public class WindowLocalAlignmentTests
{
    // Two 2x2 maps of unit vectors in 2-D, pixels in row-major order (y, x).
    //   a: (1, 0)  (0, 1)  (0.6, 0.8)  (0.8, -0.6)
    //   b: (0, 1)  (0.8, 0.6)  (-1, 0)  (0.6, -0.8)
    private static readonly float[] A = [1, 0, 0, 1, 0.6f, 0.8f, 0.8f, -0.6f];
    private static readonly float[] B = [0, 1, 0.8f, 0.6f, -1, 0, 0.6f, -0.8f];

    /// <summary>(2, D = 2, 2, 2) from pixel lists of (d0, d1) pairs.</summary>
    private static Tensor Maps(params float[][] slices)
    {
        var data = new float[slices.Length * 8];
        for (int s = 0; s < slices.Length; s++)
            for (int p = 0; p < 4; p++)
                for (int c = 0; c < 2; c++)
                    data[s * 8 + c * 4 + p] = slices[s][p * 2 + c];
        return tensor(data, [slices.Length, 2, 2, 2]);
    }

    private static Tensor Pairs(params long[] flat) => tensor(flat, [flat.Length / 2, 2]);

    [Theory]
    [InlineData(2, 2)]   // one window = the whole map
    [InlineData(6, 6)]   // a window larger than the map is the whole map too
    public void OneWindowOverTheWholeMapIsTheNaiveLocalAlignment(int h, int w)
    {
        // Naive LA, a -> b: S = a b^T, rows (a pixels) x columns (b pixels):
        //   a0: 0, 0.8, -1, 0.6 -> max 0.8;  a1: 1, 0.6, 0, -0.8 -> 1;
        //   a2: 0.8, 0.96, -0.6, -0.28 -> 0.96;  a3: -0.6, 0.28, -0.8, 0.96 -> 0.96
        //   mean |1 - max| = (0.2 + 0 + 0.04 + 0.04) / 4 = 0.07
        // b -> a (the columns' maxima): 1, 0.96, 0, 0.96 -> (0 + 0.04 + 1 + 0.04) / 4 = 0.27
        using var e = Maps(A, B);
        using var ab = WindowLocalAlignment.Loss(e, Pairs(0, 1), h, w);
        using var ba = WindowLocalAlignment.Loss(e, Pairs(1, 0), h, w);
        using var both = WindowLocalAlignment.Loss(e, Pairs(0, 1, 1, 0), h, w);
        Assert.Equal(0.07, ab.item<float>(), 5);
        Assert.Equal(0.27, ba.item<float>(), 5);
        Assert.Equal(0.17, both.item<float>(), 5);
    }

    [Fact]
    public void SmallerWindowsOnlyMatchInsideTheirWindow()
    {
        using var e = Maps(A, B);
        // 1 x 1 windows: each pixel only against the same pixel: cosines 0, 0.6, -0.6, 0.96 -> (1 + 0.4 + 1.6 + 0.04) / 4.
        using var pixel = WindowLocalAlignment.Loss(e, Pairs(0, 1), 1, 1);
        Assert.Equal(0.76, pixel.item<float>(), 5);
        // 1 x 2 windows (one row each): row 0: a0 max(0, 0.8), a1 max(1, 0.6); row 1: a2 max(-0.6, -0.28), a3 max(-0.8, 0.96)
        //   -> (0.2 + 0 + 1.28 + 0.04) / 4 = 0.38
        using var rows = WindowLocalAlignment.Loss(e, Pairs(0, 1), 1, 2);
        Assert.Equal(0.38, rows.item<float>(), 5);
    }

    [Theory]
    [InlineData(5, 7, 2, 3)]   // partial windows on both axes
    [InlineData(4, 6, 4, 6)]   // exact
    [InlineData(3, 3, 2, 2)]
    public void PartialEdgeWindowsMatchALoopReference(int h, int w, int wh, int ww)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var e = nn.functional.normalize(randn([3, 4, h, w], generator: gen), dim: 1);
        long[] flat = [0, 1, 1, 0, 2, 0];
        var loss = WindowLocalAlignment.Loss(e, Pairs(flat), wh, ww).item<float>();
        var x = e.data<float>().ToArray();
        double sum = 0; int n = 0;
        for (int p = 0; p < flat.Length; p += 2)
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < w; xx++)
                {
                    // Window of (y, xx): rows [y0, y0 + wh) x [x0, x0 + ww) clipped to the map.
                    int y0 = y / wh * wh, x0 = xx / ww * ww;
                    double best = double.NegativeInfinity;
                    for (int v = y0; v < Math.Min(y0 + wh, h); v++)
                        for (int u = x0; u < Math.Min(x0 + ww, w); u++)
                        {
                            double dot = 0;
                            for (int c = 0; c < 4; c++)
                                dot += x[Idx(flat[p], c, y, xx)] * x[Idx(flat[p + 1], c, v, u)];
                            best = Math.Max(best, dot);
                        }
                    sum += Math.Abs(1 - best); n++;
                }
        Assert.Equal(sum / n, loss, 4);

        int Idx(long s, int c, int y, int xx) => (int)(((s * 4 + c) * h + y) * w + xx);
    }

    [Fact]
    public void GradientFlowsToBothSlicesAndAConstantEmbeddingScoresZero()
    {
        using var scope = NewDisposeScope();
        var raw = randn([2, 3, 4, 4], generator: new Generator(3)).requires_grad_(true);
        var e = nn.functional.normalize(raw, dim: 1);
        var loss = WindowLocalAlignment.Loss(e, Pairs(0, 1), 2, 2);
        loss.backward();
        Assert.True(loss.item<float>() > 0.01);
        Assert.True(raw.grad!.select(0, 0).abs().sum().item<float>() > 0, "no gradient to the query slice");
        Assert.True(raw.grad!.select(0, 1).abs().sum().item<float>() > 0, "no gradient to the matched slice");
        // Collapse: every pixel the same unit vector makes the loss exactly 0, which is why spread is monitored.
        var constant = nn.functional.normalize(ones([2, 3, 4, 4]), dim: 1);
        Assert.Equal(0f, WindowLocalAlignment.Loss(constant, Pairs(0, 1, 1, 0), 2, 2).item<float>(), 6);
    }

    [Fact]
    public void NoPairsGiveAZeroLoss()
    {
        using var e = Maps(A, B);
        using var loss = WindowLocalAlignment.Loss(e, zeros([0, 2], ScalarType.Int64), 2, 2);
        Assert.Equal(0f, loss.item<float>());
    }
}
