using System.Text.Json;
using Streaming.Shards.Cache;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Tests;
using Streaming.Training.Config;
using Streaming.Training.Loop;

namespace Streaming.Training.Tests;

/// <summary>
/// The skip ledger is resume state of the training loop: it travels inside the checkpoint, and a resumed run gets it
/// from there alone (no side file), through the production path (shard cache → prefetch → trainer).
/// </summary>
[Collection(nameof(MemoryTests))] // several training runs: keep them off the parallel tests' cores
public class ResumeLedgerTests
{
    private const int K = 4;

    /// <summary>Three cached CT volumes; one has a damaged chunk 1 (its other chunks read fine).</summary>
    private static (string SpecPath, string CacheRoot, string BadId) Cache(TempDir t)
    {
        var specPath = t.Path("spec.yaml");
        File.WriteAllText(specPath, "name: tiny\nmodality: CT\ntargetSpacing: [1, 1, 1]\ncrop:\n  minShape: [16, 16, 16]\nshard:\n  chunkShape: [8, 8, 8]\n");
        var spec = SpecLoader.Load(specPath);
        var store = CacheStore.Open(t.Path("cache"), spec);
        var shape = new Int3(16, 16, 16);
        string? badId = null;
        foreach (var (id, seed) in new[] { ("D/a", 1), ("D/b", 2), ("D/c", 3) })
        {
            var g = new VolumeGeometry(shape, new Vec3(1, 1, 1), new Vec3(0, 0, 0), Mat3.Identity);
            var img = new Volume<float>(g); var body = new Volume<byte>(g);
            var rng = new Random(seed);
            for (var i = 0; i < img.Data.Length; i++) { img.Data[i] = rng.Next(-1000, 1000); body.Data[i] = 1; }
            var input = new ShardInput(img, body, null, g, g, new CropBox(new Int3(0, 0, 0), shape), new IntensityStats(0, 0, 0, 0, 0, 0, 0, 0));
            var source = new ShardSource(id, "D", Modality.CT, ["/nowhere/" + id]);
            var rec = store.WriteAndCommit(input, VolumeRecord.Header(source, $"fp{seed}", store.Key));
            if (id != "D/b") continue;
            badId = id;
            var o = rec.ChunkOffsets!;
            var path = store.ShardPath(rec.SourceFingerprint);
            var bytes = File.ReadAllBytes(path);
            bytes[o[1] + (o[2] - o[1]) / 2] ^= 0x5A; // the middle of chunk 1's compressed image (chunk 0 also holds the schema)
            File.WriteAllBytes(path, bytes);
        }
        return (specPath, t.Path("cache"), badId!);
    }

    private static PretrainConfig Config(TempDir t, string run, long steps, string spec, string cache) =>
        Tiny.Config(t.Path(run), steps, K, pairs: 2) with
        {
            CacheSpec = spec,
            CacheDir = cache,
            Prefetch = new PrefetchOptions { Workers = 2, Capacity = 3 },
        };

    private static int SkipEvents(string runDir) =>
        File.ReadLines(Path.Combine(runDir, "events.jsonl")).Count(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString() == "skip");

    [Fact]
    public void ResumeRestoresTheSkipLedgerFromTheCheckpointAlone()
    {
        using var t = new TempDir();
        var (spec, cache, bad) = Cache(t);

        var once = Config(t, "once", 2 * K, spec, cache);
        var s1 = PretrainRunner.Run(once, false, default, TextWriter.Null);

        var half = Config(t, "twice", K, spec, cache);
        var s2a = PretrainRunner.Run(half, false, default, TextWriter.Null);
        var atK = CheckpointStore.Read(s2a.LastCheckpoint!);
        var skipped = Assert.Single(atK.Skipped);
        Assert.Equal(bad, skipped.VolumeId);
        Assert.True(skipped.Step < K);
        Assert.Contains("chunk 1", skipped.Reason);
        // Nothing beside the checkpoints carries sampler state.
        Assert.Equal(["backbone.json", "backbone.safetensors", "config.yaml", "events.jsonl", "metrics.jsonl"],
            Directory.GetFiles(t.Path("twice")).Select(Path.GetFileName).Where(n => !n!.StartsWith("tensorboard")).Order(StringComparer.Ordinal));

        var s2b = PretrainRunner.Run(half with { Steps = 2 * K }, true, default, TextWriter.Null);
        Assert.Equal(K, s2b.StartStep);
        var a = CheckpointStore.Read(s1.LastCheckpoint!);
        var b = CheckpointStore.Read(s2b.LastCheckpoint!);
        Assert.Equal(2 * K, b.Step);
        Assert.Equal(a.ModelState, b.ModelState);   // the same batches, bit for bit
        Assert.Equal(a.OptimizerState, b.OptimizerState);
        Assert.Equal(a.Skipped, b.Skipped);
        // The resumed half knew the volume from the checkpoint: it never read it again, so it found nothing new.
        Assert.Equal(1, SkipEvents(t.Path("once")));
        Assert.Equal(1, SkipEvents(t.Path("twice")));
        Assert.Contains("1 volumes in the skip ledger", File.ReadAllText(Path.Combine(t.Path("twice"), "events.jsonl")));
    }
}
