using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Context;
using Streaming.Synth.InMemory;
using Streaming.Tests;
using Streaming.Training.Config;
using Streaming.Training.Data;
using Streaming.Training.Export;
using Streaming.Training.Loop;
using Streaming.Training.Methods;
using Streaming.Training.Methods.Context;

namespace Streaming.Training.Tests.Context;

public class ContextTrainingTests
{
    private static string Pipeline(string name) => Path.Combine(SharedData.RepoRoot(), "pipelines", name);

    [Fact]
    public void Shipped_configs_are_the_papers_settings_and_the_cpu_ones_inherit_them()
    {
        var h = PretrainConfigLoader.Load(Pipeline("context2d-heatmap.yaml"));
        var ho = Assert.IsType<PlanarOffsetOptions>(h.Method);
        Assert.Equal(OffsetHead.Heatmap, ho.Head);
        Assert.Equal((5e-5, 800_000L, 8, 800_000L), (h.LearningRate, h.Steps, ho.Sampling.Pairs, ho.Sampling.CurriculumSteps));
        Assert.Equal(Pipeline("ct-1.5iso.yaml"), h.CacheSpec); // relative to the config's folder
        Assert.Equal(OffsetHead.Reg2d, Assert.IsType<PlanarOffsetOptions>(PretrainConfigLoader.Load(Pipeline("context2d-reg2d.yaml")).Method).Head);
        var d = PretrainConfigLoader.Load(Pipeline("doersch3d.yaml"));
        Assert.Equal((25, 0.4, 64), (Assert.IsType<DoerschOptions>(d.Method).Sampling.CubeSize, ((DoerschOptions)d.Method).Sampling.CubeSide, ((DoerschOptions)d.Method).DescriptorBatch));
        foreach (var m in new[] { "context2d-heatmap", "context2d-reg2d", "doersch3d" })
        {
            var c = PretrainConfigLoader.Load(Pipeline($"{m}-cpu.yaml"));
            Assert.Equal(m, c.Method.Name);
            Assert.Equal(300, c.Steps);
            Assert.Equal(Pipeline("ct-context-cpu.yaml"), c.CacheSpec);
        }
        // Written back and read again: the same options (config.yaml of a run, the resume fingerprint, backbone.json).
        var again = PretrainConfigLoader.Parse(PretrainConfigLoader.ToYaml(h));
        Assert.Equal(ho.Sampling.Curriculum, ((PlanarOffsetOptions)again.Method).Sampling.Curriculum);
        Assert.Equal(ho.Name, again.Method.Name);
    }

    private static (IReadOnlyList<ShardVolumeInfo>, Func<ShardVolumeInfo, IShardVolume>) Volumes()
    {
        var shape = new Int3(20, 16, 12);
        var image = new float[shape.Volume];
        for (var i = 0; i < image.Length; i++) image[i] = (float)(400 * Math.Sin(i * 0.37) + 300 * Math.Cos(i * 0.011));
        var body = Enumerable.Repeat((byte)1, image.Length).ToArray();
        var store = ChunkStore.Create(new ShardVolumeInfo("v", "T", Modality.CT, shape, new Vec3(4.5, 4.5, 4.5), shape.Volume, false), image, body, new Int3(8, 8, 8));
        return ([store.Info], _ => store.Open());
    }

    [Theory]
    [InlineData("context2d-heatmap", 139_744 * 3 + 28_189 * 3)]
    [InlineData("context2d-reg2d", 139_744 * 3 + 27_138 * 3)]
    [InlineData("doersch3d", 393_392 + 31_238)]
    public void Each_method_trains_through_the_loop_resumes_bit_for_bit_and_exports_its_descriptor(string name, long parameters)
    {
        var sampling = new ContextSamplingOptions { Pairs = 1, CurriculumSteps = 4, Seed = 3 };
        switch (name)
        {
            case "doersch3d": TrainResumeExport(new DoerschOptions { Sampling = sampling }, name, parameters); break;
            default: TrainResumeExport(new PlanarOffsetOptions { Sampling = sampling, Head = name == "context2d-reg2d" ? OffsetHead.Reg2d : OffsetHead.Heatmap }, name, parameters); break;
        }
    }

    private static void TrainResumeExport<TBatch>(ContextOptions<TBatch> method, string name, long parameters) where TBatch : Sampling.IBatch
    {
        using var dir = new TempDir();
        var (infos, open) = Volumes();
        PretrainConfig Config(string run, long steps) => new()
        {
            Method = method, Steps = steps, CheckpointEvery = 2, KeepCheckpoints = 3, LogEvery = 1, LearningRate = 1e-3, Seed = 7, RunDir = run,
            Progress = false, Threads = 1,
        };
        Func<long, Sampling.Sources.SkipLedger, Sampling.IBatchStream<TBatch>> Streams(PretrainConfig c) => (start, ledger) =>
            new SourceBatchStream<TBatch>(((ContextOptions<TBatch>)c.Method).CreateSource(infos, open, c.Seed, ledger), start);

        var one = Config(dir.Path("one"), 4);
        var s1 = PretrainRunner.Run(one, Streams(one), false, default, TextWriter.Null);
        var half = Config(dir.Path("two"), 2);
        PretrainRunner.Run(half, Streams(half), false, default, TextWriter.Null);
        var full = half with { Steps = 4 };
        var s2 = PretrainRunner.Run(full, Streams(full), true, default, TextWriter.Null);
        Assert.Equal(2, s2.StartStep);
        var (a, b) = (CheckpointStore.Read(s1.LastCheckpoint!).ModelState, CheckpointStore.Read(s2.LastCheckpoint!).ModelState);
        Assert.Equal(a, b);
        // The checkpoint holds the whole model (backbone and heads) with the paper's parameter count.
        using (var model = method.CreateMethod())
            Assert.Equal(parameters, model.Model.parameters().Sum(p => p.numel()));

        var (features, manifest) = BackboneExport.Read(dir.Path("one"));
        using var _ = features;
        Assert.Equal(name, manifest.Method);
        Assert.True(features.WholeVolume);
        Assert.Equal(192, features.RepresentationDim);
        var metrics = File.ReadAllLines(dir.Path("one", "metrics.jsonl"));
        Assert.Equal(4, metrics.Count(l => l.Contains("\"step\"")));
        Assert.Contains(name == "doersch3d" ? "accuracy" : "offset_error", metrics[^1]);
    }
}
