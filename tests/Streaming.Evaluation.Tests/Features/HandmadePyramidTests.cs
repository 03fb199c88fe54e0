using Streaming.Evaluation.Features;
using Streaming.Imaging.Volumes;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests.Features;

public class HandmadePyramidTests
{
    [Fact]
    public void Coordinates_span_the_whole_volume_when_it_is_larger_than_the_window()
    {
        using var net = new HandmadeFeatures();
        var shape = new Int3(40, 24, 20); // 2.5 x 1.5 x 2.5 windows of 16 x 16 x 8
        var rng = new System.Random(3);
        var input = Enumerable.Range(0, (int)shape.Volume).Select(_ => (float)rng.NextDouble()).ToArray();
        using var p = PyramidExtractor.Extract(net, input, shape, new SlidingWindow { Window = new Int3(16, 16, 8) }, CPU);

        var f = Assert.Single(p.Levels);
        Assert.Equal(new long[] { 7, 20, 24, 40 }, f.shape);
        Assert.Equal(shape, p.PaddedShape); // stride 1: no padding, so every voxel is a real one
        // One linear ramp per axis over the whole volume, not one per window: -1 at the first voxel, +1 at the last.
        foreach (var (channel, n, axis) in new[] { (4, shape.Z, 0L), (5, shape.Y, 1L), (6, shape.X, 2L) })
        {
            var others = new long[] { 0, 1, 2 }.Where(d => d != axis).ToArray();
            var hi = f[channel].amax(others).data<float>().ToArray();
            var lo = f[channel].amin(others).data<float>().ToArray();
            Assert.Equal(n, hi.Length);
            for (var k = 0; k < n; k++)
            {
                Assert.Equal(-1f + 2f * k / (n - 1), hi[k], 5);
                Assert.Equal(hi[k], lo[k]); // constant across the other axes
            }
        }
        Assert.Equal(input, f[0].flatten().data<float>().ToArray());
    }

    [Fact]
    public void BatchNorm_calibration_leaves_it_alone()
    {
        using var net = new HandmadeFeatures();
        var shape = new Int3(8, 8, 8);
        var volumes = new[] { (new float[shape.Volume], shape) };
        Assert.Equal(0, BatchNormCalibration.Calibrate(net, volumes, new SlidingWindow(), CPU));
    }
}
