using System.Text.Json;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Labeled;
using Streaming.Tests;
using Streaming.Training.Config;
using Streaming.Training.Data;
using Streaming.Training.Export;
using Streaming.Training.Loop;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Supervised;

public class VoxelSimSiamTrainingTests
{
    private static PretrainConfig Config(string runDir, long steps, AuxiliaryLoss aux = AuxiliaryLoss.SimSiam) => new()
    {
        Method = new VoxelSimSiamOptions
        {
            UNet = new CicekUNetOptions { Classes = 3, BaseChannels = 2, Levels = 3 }, Auxiliary = aux, FeatureLevels = 2, HeadHidden = 8,
            MaxVoxelsPerLevel = 40, MaxHardVoxelsPerLevel = 20, SclNegatives = 16,
            Sampling = new LabeledSamplingOptions { VolumesPerBatch = 2, PatchShape = new Int3(8, 8, 8) },
        },
        Steps = steps, CheckpointEvery = 2, KeepCheckpoints = 3, LogEvery = 1, LearningRate = 1e-2, WeightDecay = 1e-5,
        LrSchedule = LrSchedule.Poly, PolyPower = 0.9, GradClip = 0, Seed = 5, RunDir = runDir, Progress = false, Threads = 1,
    };

    /// <summary>Two boxes (classes 1, 2) at step-dependent places in an 8³ volume; image = label / 2 + noise.</summary>
    private sealed class Boxes : IBatchSource<LabeledBatch>
    {
        public LabeledBatch Batch(long step)
        {
            var rng = new Random((int)step + 11);
            var s = new Int3(8, 8, 8);
            var images = new float[2 * 512]; var labels = new byte[2 * 512];
            for (var b = 0; b < 2; b++)
                for (var c = 1; c <= 2; c++)
                {
                    int x0 = rng.Next(5), y0 = rng.Next(5), z0 = rng.Next(5);
                    for (var z = z0; z < z0 + 3; z++) for (var y = y0; y < y0 + 3; y++) for (var x = x0; x < x0 + 3; x++) labels[b * 512 + s.Index(x, y, z)] = (byte)c;
                }
            for (var i = 0; i < images.Length; i++) images[i] = labels[i] / 2f + 0.05f * (float)rng.NextDouble();
            return new LabeledBatch { Step = step, Items = 2, PatchShape = s, Images = images, Labels = labels, VolumeIds = ["a", "b"] };
        }
    }

    private static Func<long, Sampling.Sources.SkipLedger, IBatchStream<LabeledBatch>> Streams(long stopAfter = long.MaxValue, CancellationTokenSource? cts = null) =>
        (start, _) => new StopAfter(new SourceBatchStream<LabeledBatch>(new Boxes(), start), stopAfter, cts);

    [Fact]
    public void Resume_is_bitwise_exact_with_poly_decay_and_weight_decay()
    {
        set_num_threads(1);
        using var dir = new TempDir();
        const int K = 3;
        var one = Config(dir.Path("one"), 2 * K);
        var s1 = PretrainRunner.Run(one, Streams(), false, default, TextWriter.Null);
        Assert.Equal(RunStatus.Completed, s1.Status);

        // The poly schedule depends on the total, so the first half is the same 2K-step run stopped after K steps.
        var two = Config(dir.Path("two"), 2 * K);
        using var cts = new CancellationTokenSource();
        var s2a = PretrainRunner.Run(two, Streams(K, cts), false, cts.Token, TextWriter.Null);
        Assert.Equal(RunStatus.Interrupted, s2a.Status);
        Assert.Equal(K, s2a.EndStep);
        var s2b = PretrainRunner.Run(two, Streams(), true, default, TextWriter.Null);
        Assert.Equal(K, s2b.StartStep);

        var a = CheckpointStore.Read(s1.LastCheckpoint!);
        var b = CheckpointStore.Read(s2b.LastCheckpoint!);
        Assert.Equal(a.ModelState, b.ModelState);         // U-Net, heads and BatchNorm buffers, bit for bit
        Assert.Equal(a.OptimizerState, b.OptimizerState);
        Assert.Equal(a.LastLoss, b.LastLoss);
        Assert.NotEqual(CheckpointStore.Read(s2a.LastCheckpoint!).ModelState, a.ModelState);

        // The logged learning rate follows lr (1 - step/steps)^0.9, evaluated at the last step of each log window.
        var lrs = File.ReadLines(dir.Path("one", "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("lr").GetDouble()).ToArray();
        Assert.Equal(1e-2, lrs[0], 12);
        Assert.Equal(1e-2 * Math.Pow(1 - 5.0 / 6, 0.9), lrs[^1], 12);
        Assert.Equal(1e-2 * Math.Pow(0.5, 0.9), one.LearningRateAt(3), 12);

        // The export is the U-Net alone, rebuilt strictly from backbone.json, with the window it was trained on.
        var (features, manifest) = BackboneExport.Read(dir.Path("one"));
        using (features)
        {
            var unet = Assert.IsType<CicekUNet3d>(features);
            Assert.Equal("voxel-simsiam", manifest.Method);
            Assert.Equal(new InputScaling(-200, 250), manifest.Input.Scaling);
            Assert.Equal([4, 8, 16], unet.OutputChannels);   // last synthesis output (stride 1), analysis levels 1 and 2
            unet.eval();
            using var _ = no_grad();
            Assert.Equal(new long[] { 1, 3, 8, 8, 8 }, unet.Logits(zeros([1, 1, 8, 8, 8])).shape);
        }
    }

    [Fact]
    public void Yaml_maps_every_section_and_poly_keys_stay_out_of_other_configs()
    {
        var c = PretrainConfigLoader.Parse("""
            method: voxel-simsiam
            model: {classes: 9, baseChannels: 4, levels: 4, headHidden: 32}
            loss: {auxiliary: scl, featureLevels: 3, lambda: 0.5, aggregation: sum, classWeights: false}
            sampling: {volumesPerBatch: 2, patchShape: [64, 64, 32], inputWindow: [-160, 240], keepLabels: [1, 2, 3]}
            lr: 1.0e-3
            weightDecay: 1.0e-5
            lrSchedule: poly
            polyPower: 0.9
            """);
        var o = Assert.IsType<VoxelSimSiamOptions>(c.Method);
        Assert.Equal(9, o.UNet.Classes);
        Assert.Equal(4, o.UNet.BaseChannels);
        Assert.Equal(AuxiliaryLoss.Scl, o.Auxiliary);
        Assert.Equal(0.5, o.EffectiveLambda);
        Assert.Equal(Training.Losses.PairAggregation.Sum, o.Aggregation);
        Assert.False(o.ClassWeights);
        Assert.Equal(new Int3(64, 64, 32), o.PatchShape);
        Assert.Equal(new InputScaling(-160, 240), o.InputScaling);
        Assert.Equal([1, 2, 3], o.Sampling.KeepLabels);
        Assert.Equal(LrSchedule.Poly, c.LrSchedule);
        Assert.Equal(1e-5, c.WeightDecay);
        var back = PretrainConfigLoader.Parse(PretrainConfigLoader.ToYaml(c));
        Assert.Equal(PretrainConfigLoader.ToYaml(c), PretrainConfigLoader.ToYaml(back));
        Assert.NotEqual(ConfigFingerprint.Of(c), ConfigFingerprint.Of(c with { Steps = c.Steps + 1 })); // poly: the total sets every lr

        var plain = new PretrainConfig();
        var yaml = PretrainConfigLoader.ToYaml(plain);
        Assert.DoesNotContain("weightDecay", yaml);
        Assert.DoesNotContain("lrSchedule", yaml);
        Assert.Equal(ConfigFingerprint.Of(plain), ConfigFingerprint.Of(plain with { Steps = 7 }));
        Assert.Throws<InvalidDataException>(() => PretrainConfigLoader.Parse("method: voxel-simsiam\nmodel: {classes: 3}\nsampling: {keepLabels: [5]}\n"));

        var shipped = PretrainConfigLoader.Load(Path.Combine(SharedData.RepoRoot(), "pipelines", "voxel-simsiam-ct.yaml"));
        var paper = Assert.IsType<VoxelSimSiamOptions>(shipped.Method);
        Assert.Equal(16_313_184, paper.UNet.ConvWeights3x3x3);
        Assert.Equal(10, paper.EffectiveLambda);
        Assert.Equal(new Int3(128, 128, 64), paper.PatchShape);
        Assert.Equal((1e-3, 1e-5, LrSchedule.Poly, 0.9), (shipped.LearningRate, shipped.WeightDecay, shipped.LrSchedule, shipped.PolyPower));
    }

    private sealed class StopAfter(IBatchStream<LabeledBatch> inner, long steps, CancellationTokenSource? cts) : IBatchStream<LabeledBatch>
    {
        public LabeledBatch Take(CancellationToken ct = default)
        {
            var b = inner.Take(ct);
            if (b.Step == steps - 1) cts?.Cancel(); // stop after this step completes
            return b;
        }

        public BatchTelemetry LastTelemetry => inner.LastTelemetry;
        public void Dispose() => inner.Dispose();
    }
}
