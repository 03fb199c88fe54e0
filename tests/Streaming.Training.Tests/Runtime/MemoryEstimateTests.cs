using Streaming.Imaging.Volumes;
using Streaming.Sampling.Slices;
using Streaming.Training.Methods.Sal;
using Streaming.Training.Models;
using Streaming.Training.Runtime;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Runtime;

/// <summary>
/// The peak-memory estimate checked before a run starts: its parts from the config (patches per batch of each method,
/// feature maps per level, prefetch, chunk caches), and the check that refuses, warns when forced, or says it fits.
/// </summary>
public class MemoryEstimateTests
{
    private static readonly FeatureLevel[] Levels = [new(2, new Int3(1, 1, 1)), new(4, new Int3(2, 2, 2))];

    private static long Part(MemoryEstimate e, string name) => Assert.Single(e.Parts, p => p.Name == name).Bytes;

    [Fact]
    public void Parts_follow_the_config_patches_per_batch_feature_maps_prefetch_and_chunk_caches()
    {
        // 3 pairs of 8^3 patches = 6 patches; feature values per patch 2*512/1 + 4*512/8 = 1280.
        var c = Tiny.Config("unused", 1, 1, patch: 8, pairs: 3);
        Assert.Equal(6, c.Method.PatchesPerBatch);
        var e = PretrainMemory.Of(c, new Int3(16, 16, 16), volumes: 5, parameters: 1000, Levels);
        Assert.Equal(PretrainMemory.RuntimeBytes, Part(e, "runtime"));
        Assert.Equal(6L * 1280 * 44 * 4, Part(e, "model activations"));
        Assert.Equal(1000L * 4 * 4, Part(e, "parameters"));                          // weights, gradients, two Adam moments
        Assert.Equal((8 + 2 + 1) * 6L * 512 * 4, Part(e, "prefetched batches"));     // capacity 8 + 2 workers + 1 in training
        Assert.Equal(2L * 5 * 64 * 4096 * 5, Part(e, "chunk caches"));               // 2 workers x 5 open volumes x 64 chunks, float + mask byte
        Assert.Equal(e.Parts.Sum(p => p.Bytes), e.TotalBytes);

        // Clean copies double the patches (hierarchical); on a GPU the model's share is not host memory.
        Assert.Equal(12, Tiny.Config("unused", 1, 1, "hierarchical", pairs: 3).Method.PatchesPerBatch);
        var gpu = PretrainMemory.Of(c with { Device = "cuda:1" }, new Int3(16, 16, 16), 5, 1000, Levels);
        Assert.DoesNotContain(gpu.Parts, p => p.Name is "model activations" or "parameters");
        Assert.Equal(Part(e, "prefetched batches"), Part(gpu, "prefetched batches"));
    }

    [Fact]
    public void Sal_counts_two_views_of_every_slice_of_the_batch()
    {
        var sal = new SalOptions { Sampling = new SliceSamplingOptions { VolumesPerBatch = 3, SlicesPerVolume = 5, SliceShape = new PlaneShape(64, 32) } };
        Assert.Equal(30, sal.PatchesPerBatch);
        var c = Tiny.Config("unused", 1, 1) with { Method = sal };
        var e = PretrainMemory.Of(c, new Int3(64, 64, 8), volumes: 1, parameters: 0, Levels);
        Assert.Equal(30L * (2 * 2048 + 4 * 2048 / 8) * 44 * 4, Part(e, "model activations"));
    }

    [Fact]
    public void The_real_model_is_counted_from_the_method_itself()
    {
        var c = Tiny.Config("unused", 1, 1, baseChannels: 4, levels: 3, patch: 16);
        var e = PretrainMemory.Of(c, new Int3(16, 16, 16), volumes: 2);
        long parameters;
        using (no_grad())
        using (var m = ((Methods.Vox2VecOptions)c.Method).CreateMethod()) parameters = m.Model.parameters().Sum(p => p.numel());
        Assert.Equal(parameters * 16, Part(e, "parameters"));
        Assert.Contains("3 levels", Assert.Single(e.Parts, p => p.Name == "model activations").Detail);
    }

    [Fact]
    public void The_check_refuses_with_both_numbers_warns_when_forced_and_says_the_estimate_when_it_fits()
    {
        var estimate = new MemoryEstimate([new("runtime", 1L << 30, "r"), new("model activations", 5L << 30, "20 patches of 128x128x32")]);
        var limit = new MemoryLimit(TotalBytes: 16L << 30, CgroupBytes: 4L << 30, AvailableBytes: null);
        var said = new List<string>();

        var e = Assert.Throws<MemoryEstimateException>(() => MemoryCheck.Require("pretrain", estimate, limit, false, "reduce sampling.patchShape", said.Add));
        Assert.StartsWith("pretrain: estimated peak memory 6.0 GiB exceeds the cgroup memory limit 4.0 GiB (6.0 GiB (model activations 5.0 GiB: 20 patches", e.Message);
        Assert.EndsWith("reduce sampling.patchShape, or pass --force-memory to start anyway", e.Message);
        Assert.Empty(said);

        MemoryCheck.Require("pretrain", estimate, limit, true, "reduce", said.Add);
        Assert.StartsWith("warning: pretrain: estimated peak memory 6.0 GiB", Assert.Single(said));
        Assert.EndsWith("it does not fit, going on because of --force-memory", said[0]);

        said.Clear();
        MemoryCheck.Require("pretrain", estimate, limit with { CgroupBytes = null }, false, "reduce", said.Add);
        Assert.Equal("pretrain: estimated peak memory 6.0 GiB (model activations 5.0 GiB: 20 patches of 128x128x32; runtime 1.0 GiB: r); limit: machine memory 16.0 GiB",
            Assert.Single(said));
    }
}

/// <summary>Changes libtorch's process-wide thread count: alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(TorchThreadsTests), DisableParallelization = true)]
public sealed class TorchThreadsCollection;

[Collection(nameof(TorchThreadsTests))]
public class TorchThreadsTests
{
    [Fact]
    public void Threads_0_means_the_cpus_really_available_and_a_configured_count_wins()
    {
        var before = get_num_threads();
        try
        {
            set_num_threads(Environment.ProcessorCount + 3);
            var budget = CpuBudget.Read();
            var said = TorchThreads.Apply(0);
            Assert.Equal(budget.Available, get_num_threads());
            Assert.StartsWith($"torch threads {budget.Available} (= CPUs available; {budget}; OMP_WAIT_POLICY=", said);
            Assert.StartsWith("torch threads 1 (from the config;", TorchThreads.Apply(1));
            Assert.Equal(1, get_num_threads());
        }
        finally { set_num_threads(before); }
    }
}
