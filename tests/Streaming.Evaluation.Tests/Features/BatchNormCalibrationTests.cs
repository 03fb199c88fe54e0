using Streaming.Evaluation.Features;
using Streaming.Imaging.Volumes;
using Streaming.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests.Features;

public class BatchNormCalibrationTests
{
    [Fact]
    public void A_random_backbone_gets_its_images_own_statistics_and_normalised_features()
    {
        random.manual_seed(3);
        using var net = new Vox2VecFpn(new BackboneOptions { BaseChannels = 4, Levels = 3, BlocksPerLevel = 1, Norm = NormKind.Batch });
        var shape = new Int3(16, 16, 8);
        var rng = new System.Random(5);
        // Images far from mean 0 / variance 1, as CT in [0, 1] after windowing is not centred.
        var volumes = Enumerable.Range(0, 3).Select(_ => (Enumerable.Range(0, (int)shape.Volume).Select(_ => 0.7f + 0.05f * (float)rng.NextDouble()).ToArray(), shape)).ToList();
        var stem = net.modules().OfType<BatchNorm3d>().First();
        Assert.Equal(0f, stem.running_mean!.abs().max().item<float>());

        using var x = tensor(volumes[0].Item1, [1, 1, 8, 16, 16])[.., .., .., 4..12, 4..12]; // the central 8^3 window
        float Gap()
        {
            // Eval-mode (running statistics) against train-mode (the window's own statistics) features.
            using var _ = no_grad();
            net.eval();
            var e = net.forward(x);
            net.train();
            var t = net.forward(x);
            net.eval();
            return e.Zip(t, (a, b) => (a - b).abs().max().item<float>()).Max();
        }
        var before = Gap();

        // Calibrated on exactly that window, the running statistics are the window's own: eval ~ train mode.
        var layers = BatchNormCalibration.Calibrate(net, volumes.Take(1), new SlidingWindow { Window = new Int3(8, 8, 8) }, CPU);
        Assert.Equal(net.modules().OfType<BatchNorm3d>().Count(), layers);
        Assert.NotEqual(0f, stem.running_mean!.abs().max().item<float>());
        Assert.Equal(0.1, stem.momentum); // restored after the cumulative average
        Assert.False(net.training);
        var after = Gap();
        Assert.True(before > 0.5f, $"fresh statistics should be far off: {before}");
        Assert.True(after < 0.05f * before, $"calibrated gap {after} vs fresh {before}");

        // More volumes: a cumulative average over all of them (still finite and different from one volume's).
        BatchNormCalibration.Calibrate(net, volumes, new SlidingWindow { Window = new Int3(8, 8, 8) }, CPU);
        Assert.True(stem.running_var!.isfinite().all().item<bool>());
    }

    [Fact]
    public void A_GroupNorm_backbone_has_nothing_to_calibrate()
    {
        using var net = new Vox2VecFpn(new BackboneOptions { BaseChannels = 4, Levels = 2, BlocksPerLevel = 1, Norm = NormKind.Group });
        Assert.Equal(0, BatchNormCalibration.Calibrate(net, [(new float[8 * 8 * 8], new Int3(8, 8, 8))], new SlidingWindow(), CPU));
    }
}
