using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Prefetch;
using Streaming.Sampling.Slices;
using Streaming.Sampling.Sources;
using Streaming.Synth.InMemory;
using Streaming.Tests;
using Streaming.Training.Config;
using Streaming.Training.Export;
using Streaming.Training.Logging;
using Streaming.Training.Loop;
using Streaming.Training.Methods.Sal;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Sal;

public class SalTrainingTests
{
    private static string Pipeline(string name) => Path.Combine(SharedData.RepoRoot(), "pipelines", name);

    /// <summary>Three in-memory volumes whose intensity pattern changes with relative slice position (chunks 8 x 8 x 4).</summary>
    private static (IReadOnlyList<ShardVolumeInfo> Infos, Func<ShardVolumeInfo, IShardVolume> Open) Volumes()
    {
        var stores = new[] { ("a", new Int3(24, 20, 16)), ("b", new Int3(20, 24, 20)), ("c", new Int3(24, 24, 12)) }.Select(v =>
        {
            var (id, s) = v;
            var image = new float[s.Volume];
            var body = new byte[s.Volume];
            for (var z = 0; z < s.Z; z++)
                for (var y = 0; y < s.Y; y++)
                    for (var x = 0; x < s.X; x++)
                    {
                        var i = (int)s.Index(x, y, z);
                        double r = (double)z / s.Z, dx = x - s.X / 2.0, dy = y - s.Y / 2.0;
                        image[i] = dx * dx + dy * dy < 30 + 40 * r ? 200 * (float)Math.Sin(6 * r + x * 0.3) : -800;
                        body[i] = 1;
                    }
            return ChunkStore.Create(new ShardVolumeInfo(id, "T", Modality.CT, s, new Vec3(2, 2, 3), s.Volume, false), image, body, new Int3(8, 8, 4));
        }).ToDictionary(st => st.Info.Id);
        return (stores.Values.Select(st => st.Info).OrderBy(i => i.Id).ToList(), info => stores[info.Id].Open());
    }

    private static PretrainConfig Config(string runDir, long steps, long checkpointEvery, double lambda = 80) => new()
    {
        Method = new SalOptions
        {
            Model = new UNet2dOptions { Widths = [2, 4, 4, 8, 8] }, LocalDim = 4, GlobalDim = 4, Lambda = lambda, WindowH = 2, WindowW = 2,
            Sampling = new SliceSamplingOptions { VolumesPerBatch = 2, SlicesPerVolume = 3, SliceShape = new PlaneShape(16, 16), MaxShift = 1 },
        },
        Steps = steps, CheckpointEvery = checkpointEvery, KeepCheckpoints = 3, LogEvery = 1, LearningRate = 1e-3, Seed = 7,
        RunDir = runDir, Progress = false, Threads = 1,
    };

    /// <summary>The production stream: the method's own slice source (run seed, the loop's ledger) through the prefetch workers.</summary>
    private static Func<long, SkipLedger, IBatchStream<SliceBatch>> Streams(PretrainConfig c)
    {
        var (infos, open) = Volumes();
        var sal = (SalOptions)c.Method;
        return (start, ledger) => PrefetchStream.Start(sal.CreateSource(infos, open, c.Seed, ledger), start, new PrefetchOptions { Workers = 2, Capacity = 4 });
    }

    [Fact]
    public void ResumeIsBitwiseExact_KPlusResumePlusK_Equals2K()
    {
        using var dir = new TempDir();
        const int K = 3;
        var one = Config(dir.Path("one"), 2 * K, K);
        var s1 = PretrainRunner.Run(one, Streams(one), false, default, TextWriter.Null);
        Assert.Equal(RunStatus.Completed, s1.Status);

        var half = Config(dir.Path("two"), K, K);
        PretrainRunner.Run(half, Streams(half), false, default, TextWriter.Null);
        var full = half with { Steps = 2 * K };
        var s2 = PretrainRunner.Run(full, Streams(full), true, default, TextWriter.Null);
        Assert.Equal(K, s2.StartStep);

        var a = CheckpointStore.Read(s1.LastCheckpoint!);
        var b = CheckpointStore.Read(s2.LastCheckpoint!);
        Assert.Equal(2 * K, a.Step);
        Assert.Equal(a.ModelState, b.ModelState);          // encoder, embeddings and BatchNorm buffers, bit for bit
        Assert.Equal(a.OptimizerState, b.OptimizerState);
        Assert.Equal(a.LastLoss, b.LastLoss);
        var first = CheckpointStore.Read(new CheckpointStore(dir.Path("two", "checkpoints"), 3).PathFor(K));
        Assert.NotEqual(first.ModelState, a.ModelState);

        // Every SAL part is logged each step, the spread included (the collapse monitor).
        var last = MetricsFile.Read(dir.Path("one", "metrics.jsonl"))[^1];
        foreach (var key in new[] { "gp", "wla", "local_spread", "global_spread", "local_pairs" })
            Assert.True(last.LossParts.ContainsKey(key), $"metrics lack loss part {key}");
    }

    [Fact]
    public void ExportIsTheSliceWiseEncoderWithItsInputContract()
    {
        using var dir = new TempDir();
        var c = Config(dir.Path("run"), 2, 2);
        var s = PretrainRunner.Run(c, Streams(c), false, default, TextWriter.Null);
        var (features, manifest) = BackboneExport.Read(dir.Path("run"));
        using (features)
        {
            Assert.Equal("sal", manifest.Method);
            Assert.Equal([new FeatureLevel(2, new Int3(1, 1, 1)), new FeatureLevel(4, new Int3(2, 2, 1)), new FeatureLevel(4, new Int3(4, 4, 1)),
                new FeatureLevel(8, new Int3(8, 8, 1)), new FeatureLevel(8, new Int3(16, 16, 1))], manifest.Levels);
            Assert.Equal(new Int3(16, 16, 1), manifest.Input.PatchShape);
            Assert.Equal(InputScaling.CtWindow, manifest.Input.Scaling);
            var rebuilt = Assert.IsType<SalOptions>(manifest.ToMethodOptions());
            Assert.Equal(((SalOptions)c.Method).Model, rebuilt.Model);
            Assert.Equal(80, rebuilt.Lambda);
            // The export is the encoder alone (the names a 2-D U-Net's encoder has): no decoder, no embedding heads.
            var exported = features.state_dict();
            Assert.All(exported.Keys, k => Assert.StartsWith("encoder.levels.", k));
            using var model = new SalModel((SalOptions)c.Method);
            Assert.Equal(model.Backbone.state_dict().Keys.Order(), exported.Keys.Order());
            Assert.Equal(RunStatus.Completed, s.Status);
        }
    }

    [Fact]
    public void TheSliceWiseEncoderRunsEverySliceOfAVolume()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var enc = new SliceEncoder2d(new UNet2dOptions { Widths = [2, 4, 4] });
        enc.eval();
        var x = randn([2, 1, 3, 8, 12]);                   // (N, C, D, H, W)
        var levels = enc.forward(x);
        Assert.Equal(new long[] { 2, 4, 3, 2, 3 }, levels[2].shape);
        // Volume 1, slice 2 through the 2-D encoder alone gives the same level-1 map.
        var alone = enc.Encode(x.select(0, 1).select(1, 2).unsqueeze(0));
        Assert.True(alone[1][0].sub(levels[1].select(0, 1).select(1, 2)).abs().max().item<float>() < 1e-6);
        Assert.Throws<ArgumentException>(() => enc.forward(randn([1, 1, 2, 6, 8])));  // 6 is not a multiple of 4
    }

    [Fact]
    public void ShippedConfigsLoadWithThePapersValues()
    {
        var ct = PretrainConfigLoader.Load(Pipeline("sal-ct.yaml"));
        var sal = Assert.IsType<SalOptions>(ct.Method);
        Assert.Equal([32, 64, 128, 256, 512], sal.Model.Widths);
        Assert.Equal((0.1, 0.1, 80.0, 4, 4), (sal.Theta, sal.Temperature, sal.Lambda, sal.WindowH, sal.WindowW));
        Assert.Equal((2, 8, new PlaneShape(256, 256)), (sal.Sampling.VolumesPerBatch, sal.Sampling.SlicesPerVolume, sal.Sampling.SliceShape));
        Assert.Equal(Pipeline("ct-fixedfov-1.5mm.yaml"), ct.CacheSpec); // beside the config that names it
        var pcl = Assert.IsType<SalOptions>(PretrainConfigLoader.Load(Pipeline("sal-ct-pcl.yaml")).Method);
        Assert.Equal(sal with { Lambda = 0 }, pcl);
        var mri = PretrainConfigLoader.Load(Pipeline("sal-mri.yaml"));
        Assert.Equal(Pipeline("mri-fixedfov-1.5mm.yaml"), mri.CacheSpec);
        Assert.Equal(1, ((SalOptions)mri.Method).Sampling.Augmentations.WindowMax);
        var demo = Assert.IsType<SalOptions>(PretrainConfigLoader.Load(Pipeline("sal-demo-cpu.yaml")).Method);
        Assert.Equal([8, 16, 32, 64, 128], demo.Model.Widths);
        // The phantom study's config: the demo on the 64 x 64 slices of the 6 mm fixed-field-of-view spec.
        var study = PretrainConfigLoader.Load(Pipeline("sal-study-cpu.yaml"));
        Assert.Equal(demo with { Sampling = demo.Sampling with { SliceShape = new PlaneShape(48, 48) } }, study.Method);
        Assert.Equal((Pipeline("ct-fixedfov-6mm.yaml"), 250L), (study.CacheSpec, study.Steps));
        // Describe -> YAML -> Bind gives the same options (config.yaml of a run, the resume fingerprint, backbone.json).
        Assert.Equal(ct, PretrainConfigLoader.Parse(PretrainConfigLoader.ToYaml(ct)));
    }

    [Theory]
    [InlineData("loss:\n  lamda: 1", "did you mean 'loss.lambda'")]
    [InlineData("loss:\n  windowH: 7", "windowH")]
    [InlineData("sampling:\n  sliceShape: [100, 96]", "multiple of 16")]
    [InlineData("sampling:\n  sliceShape: [96]", "sampling.sliceShape must be [x, y]")]
    [InlineData("model:\n  widths: [8, 16]", "model.widths")]
    public void BadKeysAndValuesNameTheProblem(string yaml, string expected)
    {
        var e = Assert.ThrowsAny<Exception>(() => PretrainConfigLoader.Parse("method: sal\n" + yaml));
        Assert.Contains(expected, e.Message);
    }
}
