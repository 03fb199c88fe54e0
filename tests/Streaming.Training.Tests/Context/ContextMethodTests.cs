using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Context;
using Streaming.Synth.InMemory;
using Streaming.Training.Loop;
using Streaming.Training.Methods.Context;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Context;

public class ContextMethodTests
{
    /// <summary>A small CT-like volume of blobs (HU), chunked in memory like the cache.</summary>
    private static (IReadOnlyList<ShardVolumeInfo>, Func<ShardVolumeInfo, IShardVolume>) Volumes()
    {
        var shape = new Int3(24, 20, 16);
        var rng = new System.Random(5);
        var blobs = Enumerable.Range(0, 6).Select(_ => (x: rng.Next(24), y: rng.Next(20), z: rng.Next(16), hu: rng.Next(-900, 900))).ToArray();
        var image = new float[shape.Volume];
        for (var z = 0; z < 16; z++) for (var y = 0; y < 20; y++) for (var x = 0; x < 24; x++)
            image[shape.Index(x, y, z)] = (float)blobs.Sum(b => b.hu * Math.Exp(-((x - b.x) * (x - b.x) + (y - b.y) * (y - b.y) + (z - b.z) * (z - b.z)) / 18.0));
        var body = Enumerable.Repeat((byte)1, (int)shape.Volume).ToArray();
        var store = ChunkStore.Create(new ShardVolumeInfo("v", "T", Modality.CT, shape, new Vec3(1.5, 1.5, 1.5), shape.Volume, false), image, body, new Int3(8, 8, 8));
        return ([store.Info], _ => store.Open());
    }

    private static (double First, double Last) Fit(Func<Methods.StepLoss> step, TorchSharp.torch.nn.Module model, int steps)
    {
        // One intra-op thread: these nets are tiny, and on a busy machine libtorch's spinning threads cost far more.
        set_num_threads(1);
        using var adam = AdamFactory.Create(model.parameters(), 1e-3);
        double first = 0, last = 0;
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            var l = step();
            var v = l.Total.item<float>();
            if (i == 0) first = v;
            last = v;
            l.Total.backward();
            adam.step();
        }
        return (first, last);
    }

    [Theory]
    [InlineData(OffsetHead.Heatmap)]
    [InlineData(OffsetHead.Reg2d)]
    public void Planar_methods_learn_a_fixed_batch(OffsetHead head)
    {
        manual_seed(1);
        var (infos, open) = Volumes();
        using var source = new PlanarPairSource(infos, open, new ContextSamplingOptions { Pairs = 2, CurriculumSteps = 10, Seed = 3 });
        var batch = source.Batch(0);
        using var method = new PlanarOffsetMethod(new PlanarOffsetOptions { Head = head });
        method.Model.train();
        Methods.StepLoss? seen = null;
        var (first, last) = Fit(() => seen = method.Forward(batch, CPU), method.Model, 8);
        Assert.True(last < 0.8 * first, $"{head}: loss {first} → {last}");
        Assert.Contains("offset_error", seen!.Parts.Keys);
        Assert.Contains("loss_z", seen.Parts.Keys);
    }

    [Fact]
    public void Doersch_learns_a_fixed_batch()
    {
        manual_seed(2);
        var (infos, open) = Volumes();
        using var source = new CubePairSource(infos, open, new ContextSamplingOptions { Pairs = 3, Seed = 4 });
        var batch = source.Batch(0);
        using var method = new DoerschMethod(new DoerschOptions());
        method.Model.train();
        var (first, last) = Fit(() => method.Forward(batch, CPU), method.Model, 6);
        Assert.True(last < 0.8 * first, $"Doersch: loss {first} → {last}");
        Assert.Contains(method.Model.named_parameters(), p => p.name.StartsWith("heads.0.layers.3."));
        Assert.Contains(method.Model.named_parameters(), p => p.name.StartsWith("backbone.d3d.layers.6."));
    }
}
