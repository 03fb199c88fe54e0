using System.Text.Json;
using Streaming.Sampling.Pairs;
using Streaming.Tests;
using Streaming.Training.Data;
using Streaming.Training.Loop;
using Streaming.Training.Logging;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Training.Tests;

public class MixedPrecisionTests
{
    [Fact]
    public void Bf16_backbone_stays_close_to_fp32_and_trains_the_same_way()
    {
        using var dir = new TempDir();
        var fp32 = Tiny.Config(dir.Path("fp32"), 30, 1000, baseChannels: 4, levels: 2, patch: 12, pairs: 2, positions: 32, lr: 3e-3);
        var bf16 = fp32 with { RunDir = dir.Path("bf16"), Method = (VoxelContrastOptions)fp32.Method with { Precision = ComputePrecision.Bf16 } };
        PretrainRunner.Run(fp32, Tiny.Streams(fp32), false, default, TextWriter.Null);
        PretrainRunner.Run(bf16, Tiny.Streams(bf16), false, default, TextWriter.Null);
        double[] a = Losses(dir.Path("fp32")), b = Losses(dir.Path("bf16"));
        Assert.Equal(30, b.Length);
        // The same curve: bf16 has 8 mantissa bits, so each step's loss differs a little, never a lot ...
        var curves = $"fp32 {string.Join(" ", a.Select(x => x.ToString("F3")))}\nbf16 {string.Join(" ", b.Select(x => x.ToString("F3")))}";
        Assert.True(Math.Abs(a[0] - b[0]) < 0.01 * a[0], "first step (same weights, same batch): " + curves);
        for (int w = 0; w < 3; w++)
        {
            double fa = a.Skip(10 * w).Take(10).Average(), fb = b.Skip(10 * w).Take(10).Average();
            Assert.True(Math.Abs(fa - fb) < 0.1 * fa, $"steps {10 * w + 1}-{10 * w + 10}: fp32 mean {fa:F3}, bf16 mean {fb:F3}\n" + curves);
        }
        // ... but it does differ (the bf16 path really ran in bf16) ...
        Assert.True(a.Zip(b).Any(p => p.First != p.Second), "bf16 losses equal fp32 to the bit: no bf16 arithmetic happened");
        // ... and it learns as much.
        Assert.True(b.TakeLast(5).Average() < b.Take(5).Average() - 0.5, $"bf16 loss did not decrease: {b.Take(5).Average():F3} -> {b.TakeLast(5).Average():F3}");
    }

    [Fact]
    public void Bf16_pyramid_is_float32_out_and_close_to_the_fp32_one()
    {
        manual_seed(3);
        var o = new BackboneOptions { BaseChannels = 4, Levels = 3, BlocksPerLevel = 1 };
        using var fpn = new Vox2VecFpn(o);
        fpn.eval();
        using var scope = NewDisposeScope();
        var x = randn([2, 1, 8, 16, 16]);
        var full = fpn.forward(x);
        var half = fpn.forward(x.to(ScalarType.BFloat16));
        for (int l = 0; l < full.Length; l++)
        {
            Assert.Equal(ScalarType.BFloat16, half[l].dtype);
            var err = (half[l].to(ScalarType.Float32) - full[l]).abs().max().item<float>();
            var scale = full[l].abs().max().item<float>();
            Assert.True(err < 0.05 * scale, $"level {l}: max error {err} at scale {scale}");
            Assert.True(err > 0, $"level {l}: identical to fp32");
        }
    }

    private static double[] Losses(string run) => File.ReadLines(Path.Combine(run, "metrics.jsonl"))
        .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("loss").GetDouble()).ToArray();
}

public class BatchUploadTests
{
    [Fact]
    public void Staged_upload_gives_the_same_tensors_as_the_direct_one()
    {
        var source = new SyntheticPairSource(new Streaming.Imaging.Volumes.Int3(8, 6, 4), 3, 5, 11, includeClean: false);
        using var staged = new BatchUpload(stageOnCpu: true);
        using var direct = new BatchUpload();
        for (long step = 0; step < 3; step++)   // the staging tensors are reused from the second batch on
        {
            using var scope = NewDisposeScope();
            var batch = source.Batch(step);
            var v1 = staged.Views("views", batch.ViewsA, batch.ViewsB, batch, CPU);
            var v2 = direct.Views("views", batch.ViewsA, batch.ViewsB, batch, CPU);
            Assert.Equal(v2.shape, v1.shape);
            Assert.True(v1.eq(v2).all().item<bool>(), $"views differ at step {step}");
            var p1 = staged.Positions(batch, CPU);
            var p2 = direct.Positions(batch, CPU);
            Assert.Equal(ScalarType.Int64, p1.dtype);
            Assert.True(p1.eq(p2).all().item<bool>(), $"positions differ at step {step}");
        }
    }
}

public class StepTimerTests
{
    [Fact]
    public void Step_timing_reports_every_phase_in_metrics()
    {
        using var dir = new TempDir();
        var c = Tiny.Config(dir.Path("run"), 4, 1000) with { StepTiming = true, LogEvery = 2 };
        PretrainRunner.Run(c, Tiny.Streams(c), false, default, TextWriter.Null);
        var lines = File.ReadLines(dir.Path("run", "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        var phases = lines[^1].GetProperty("stepMs");
        foreach (var p in new[] { "zero_grad", "h2d", "forward", "infonce", "backward", "clip", "optimizer", "other" })
            Assert.True(phases.TryGetProperty(p, out var v) && v.GetDouble() >= 0, $"phase {p} missing: {phases}");
        Assert.True(phases.GetProperty("forward").GetDouble() + phases.GetProperty("backward").GetDouble() > 0);
    }

    [Fact]
    public void Cuda_step_seeds_differ_by_step_and_seed()
    {
        var seeds = Enumerable.Range(0, 1000).Select(s => Trainer<PairBatch>.CudaStepSeed(7, s)).ToHashSet();
        Assert.Equal(1000, seeds.Count);
        Assert.NotEqual(Trainer<PairBatch>.CudaStepSeed(7, 5), Trainer<PairBatch>.CudaStepSeed(8, 5));
        Assert.All(seeds, s => Assert.True(s >= 0));
    }
}

public class PrecisionConfigTests
{
    [Fact]
    public void Precision_is_a_model_setting_that_changes_the_fingerprint_and_step_timing_does_not()
    {
        var c = Config.PretrainConfigLoader.Parse("model:\n  precision: bf16\nstepTiming: true\n");
        Assert.Equal(ComputePrecision.Bf16, ((VoxelContrastOptions)c.Method).Precision);
        Assert.True(c.StepTiming);
        var back = Config.PretrainConfigLoader.Parse(Config.PretrainConfigLoader.ToYaml(c));
        Assert.Equal(ComputePrecision.Bf16, ((VoxelContrastOptions)back.Method).Precision);
        var fp32 = c with { Method = (VoxelContrastOptions)c.Method with { Precision = ComputePrecision.Fp32 } };
        Assert.NotEqual(ConfigFingerprint.Of(fp32), ConfigFingerprint.Of(c));
        Assert.Equal(ConfigFingerprint.Of(fp32), ConfigFingerprint.Of(fp32 with { StepTiming = false }));
        var e = Assert.ThrowsAny<Exception>(() => Config.PretrainConfigLoader.Parse("model:\n  precision: fp16\n"));
        Assert.Contains("fp32, bf16", e.Message);
    }
}
