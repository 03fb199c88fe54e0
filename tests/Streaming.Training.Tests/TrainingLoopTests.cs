using System.Text.Json;
using Streaming.Tests;
using Streaming.Training.Export;
using Streaming.Training.Loop;
using static TorchSharp.torch;

namespace Streaming.Training.Tests;

public class TrainingLoopTests
{
    [Fact]
    public void ResumeIsBitwiseExact_KPlusResumePlusK_Equals2K()
    {
        using var dir = new TempDir();
        const int K = 3;
        var one = Tiny.Config(dir.Path("one"), 2 * K, K);
        var s1 = PretrainRunner.Run(one, Tiny.Streams(one), false, default, TextWriter.Null);
        Assert.Equal(RunStatus.Completed, s1.Status);

        var half = Tiny.Config(dir.Path("two"), K, K);
        var s2a = PretrainRunner.Run(half, Tiny.Streams(half), false, default, TextWriter.Null);
        Assert.Equal(K, s2a.EndStep);
        var full = half with { Steps = 2 * K };
        var s2b = PretrainRunner.Run(full, Tiny.Streams(full), true, default, TextWriter.Null);
        Assert.Equal(K, s2b.StartStep);
        Assert.Equal(2 * K, s2b.EndStep);

        var a = CheckpointStore.Read(s1.LastCheckpoint!);
        var b = CheckpointStore.Read(s2b.LastCheckpoint!);
        Assert.Equal(2 * K, a.Step);
        Assert.Equal(a.ModelState, b.ModelState);          // weights and BatchNorm buffers, bit for bit
        Assert.Equal(a.OptimizerState, b.OptimizerState);  // Adam moments and step counts
        Assert.Equal(a.LastLoss, b.LastLoss);
        // and training did move the weights (the comparison is not between two untouched inits)
        var first = CheckpointStore.Read(s2a.LastCheckpoint!);
        Assert.NotEqual(first.ModelState, a.ModelState);
    }

    [Fact]
    public void LossDecreasesOnPhantomPairs()
    {
        using var dir = new TempDir();
        var c = Tiny.Config(dir.Path("run"), 40, 1000, baseChannels: 4, levels: 2, patch: 12, pairs: 2, positions: 32, lr: 3e-3);
        PretrainRunner.Run(c, Tiny.Streams(c), false, default, TextWriter.Null);
        var losses = File.ReadLines(dir.Path("run", "metrics.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("loss").GetDouble()).ToArray();
        Assert.Equal(40, losses.Length);
        double early = losses.Take(5).Average(), late = losses.TakeLast(5).Average();
        // chance level for 2V = 128 rows is ln(127) = 4.84
        Assert.True(late < early - 0.5, $"loss did not decrease: first 5 {early:F3}, last 5 {late:F3}");
    }

    [Fact]
    public void NanLossStopsWithMessage_AndKeepsLastGoodCheckpoint()
    {
        using var dir = new TempDir();
        var c = Tiny.Config(dir.Path("run"), 10, 2);
        var e = Assert.Throws<TrainingDivergedException>(() =>
            PretrainRunner.Run(c, Tiny.Streams(c, new HashSet<long> { 3 }), false, default, TextWriter.Null));
        Assert.Contains("loss is NaN at step 4", e.Message);
        Assert.Contains("step-0000000002.ckpt", e.Message);
        var store = new CheckpointStore(dir.Path("run", "checkpoints"), 3);
        Assert.Equal([store.PathFor(2)], store.List());
        Assert.Equal(2, store.LoadLatest()!.Value.Checkpoint.Step);
        Assert.False(File.Exists(dir.Path("run", BackboneExport.WeightsFile)));
    }

    [Fact]
    public void CancellationStopsWithCheckpoint_AndKeepsOnlyTheNewest()
    {
        using var dir = new TempDir();
        var c = Tiny.Config(dir.Path("run"), 1000, 1) with { KeepCheckpoints = 2 };
        using var cts = new CancellationTokenSource();
        var source = Tiny.Source(c);
        var s = PretrainRunner.Run(c, (start, _) => new CancelAfter(new Data.SourceBatchStream<Streaming.Sampling.Pairs.PairBatch>(source, start), 5, cts), false, cts.Token, TextWriter.Null);
        Assert.Equal(RunStatus.Interrupted, s.Status);
        Assert.Equal(5, s.EndStep);
        var store = new CheckpointStore(dir.Path("run", "checkpoints"), 2);
        Assert.Equal([store.PathFor(5), store.PathFor(4)], store.List());
        Assert.Throws<InvalidOperationException>(() => PretrainRunner.Run(c, Tiny.Streams(c), false, default, TextWriter.Null));
    }

    [Fact]
    public void HierarchicalRun_SavesTrainedLevelProjections()
    {
        using var dir = new TempDir();
        var c = Tiny.Config(dir.Path("run"), 3, 3, method: "hierarchical", levels: 3);
        var s = PretrainRunner.Run(c, Tiny.Streams(c), false, default, TextWriter.Null);
        var (tensors, meta) = Safetensors.Read(s.BackboneFile!);
        Assert.Equal("hierarchical", meta["method"]);
        var init = BackboneExport.Read(dir.Path("run")).Backbone; // the export reads back into a fresh backbone
        for (int l = 0; l < 3; l++)
        {
            var w = tensors[$"level_projections.{l}.weight"];
            Assert.Equal(new long[] { 4, 2 << l, 1, 1, 1 }, w.shape);
            Assert.True(tensors.ContainsKey($"level_projections.{l}.bias"));
        }
        Assert.Contains("mse", File.ReadAllText(dir.Path("run", "metrics.jsonl")));
        // trained: differs from a fresh init with the same seed
        manual_seed(7);
        using var m0 = ((Methods.HierarchicalOptions)c.Method).CreateMethod();
        var w0 = m0.Model.state_dict()["backbone.level_projections.0.weight"];
        Assert.True((w0 - tensors["level_projections.0.weight"]).abs().max().item<float>() > 1e-6, "level projection 0 did not change during training");
        init.Dispose();
        foreach (var t in tensors.Values) t.Dispose();
    }

    private sealed class CancelAfter(Streaming.Sampling.IBatchStream<Streaming.Sampling.Pairs.PairBatch> inner, long steps, CancellationTokenSource cts) : Streaming.Sampling.IBatchStream<Streaming.Sampling.Pairs.PairBatch>
    {
        public Streaming.Sampling.Pairs.PairBatch Take(CancellationToken ct = default)
        {
            var b = inner.Take(ct);
            if (b.Step == steps - 1) cts.Cancel(); // stop after this step completes
            return b;
        }
        public Streaming.Sampling.BatchTelemetry LastTelemetry => inner.LastTelemetry;
        public void Dispose() => inner.Dispose();
    }
}
