using Streaming.Shards.Cache;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Tests;
using Streaming.Training.Loop;

namespace Streaming.Cli.Tests.Faults;

/// <summary>A small shard cache and pre-training config for CLI fault cases (built in-process: no ingest run needed).</summary>
internal sealed class PretrainRun
{
    public const int Volumes = 4;

    public PretrainRun(TempDir t, int size = 16, int baseChannels = 2, int levels = 2, string patch = "[16, 16, 8]", int steps = 4, int checkpointEvery = 2)
    {
        Root = t.Root;
        SpecPath = t.Path("spec.yaml");
        File.WriteAllText(SpecPath, $"name: tiny\nmodality: CT\ntargetSpacing: [1, 1, 1]\ncrop:\n  minShape: [{size}, {size}, {size}]\nshard:\n  chunkShape: [8, 8, 8]\n");
        var store = CacheStore.Open(t.Path("cache"), SpecLoader.Load(SpecPath));
        var shape = new Int3(size, size, size);
        for (var i = 0; i < Volumes; i++)
        {
            var g = new VolumeGeometry(shape, new Vec3(1, 1, 1), new Vec3(0, 0, 0), Mat3.Identity);
            var img = new Volume<float>(g); var body = new Volume<byte>(g);
            var rng = new Random(i);
            for (var k = 0; k < img.Data.Length; k++) { img.Data[k] = rng.Next(-1000, 1000); body.Data[k] = 1; }
            var input = new ShardInput(img, body, null, g, g, new CropBox(new Int3(0, 0, 0), shape), new IntensityStats(0, 0, 0, 0, 0, 0, 0, 0));
            var source = new ShardSource($"D/v{i}", "D", Modality.CT, [$"/nowhere/v{i}"]);
            var rec = store.WriteAndCommit(input, VolumeRecord.Header(source, $"fp{i}", store.Key));
            ShardPaths.Add(store.ShardPath(rec.SourceFingerprint));
        }
        ConfigPath = t.Path("pretrain.yaml");
        WriteConfig(baseChannels, levels, patch, steps, checkpointEvery);
    }

    public string Root { get; }
    public string SpecPath { get; }
    public string ConfigPath { get; }
    public string CacheRoot => Path.Combine(Root, "cache");
    public string RunDir => Path.Combine(Root, "run");
    public string Checkpoints => Path.Combine(RunDir, "checkpoints");
    public List<string> ShardPaths { get; } = [];

    public void WriteConfig(int baseChannels, int levels, string patch, int steps, int checkpointEvery) =>
        File.WriteAllText(ConfigPath, $"""
            method: vox2vec
            seed: 3
            threads: 1
            steps: {steps}
            checkpointEvery: {checkpointEvery}
            keepCheckpoints: 3
            logEvery: 1
            lr: 1.0e-3
            runDir: {RunDir}
            cache:
              dir: {CacheRoot}
              spec: {SpecPath}
            model:
              baseChannels: {baseChannels}
              levels: {levels}
              blocksPerLevel: 1
              headHidden: 16
              headOut: 8
            loss:
              infoNceChunkRows: 64
            sampling:
              patchShape: {patch}
              volumesPerBatch: 2
              positionsPerPair: 16
            prefetch:
              workers: 1
              capacity: 2
            """);

    public string[] Args(params string[] extra) => ["pretrain", ConfigPath, .. extra];

    /// <summary>Every checkpoint in the run reads back intact (checksum), and no temp file is left.</summary>
    public IReadOnlyList<long> IntactCheckpointSteps()
    {
        Assert.Empty(Directory.GetFiles(Checkpoints, "*.tmp"));
        return Directory.GetFiles(Checkpoints, "step-*.ckpt").Order(StringComparer.Ordinal).Select(p => CheckpointStore.Read(p).Step).ToList();
    }

    public long[] MetricSteps() =>
        File.ReadLines(Path.Combine(RunDir, "metrics.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToArray();
}
