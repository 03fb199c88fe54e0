using System.Text.Json;
using Streaming.Tests;

namespace Streaming.Cli.Tests.Commands;

/// <summary>
/// <c>pretrain</c> as a scheduler runs it (stderr not a terminal), <c>--set</c>, config-relative paths,
/// <c>STREAMING_CACHE</c>, and <c>export</c> from checkpoints.
/// </summary>
public class PretrainCommandTests
{
    /// <summary>A tiny vox2vec config in its own folder, naming its spec relative to itself (../specs/ct.yaml).</summary>
    private static string TinyConfig(TempDir t)
    {
        Directory.CreateDirectory(t.Path("specs"));
        File.Copy(Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-demo-3mm.yaml"), t.Path("specs", "ct.yaml"));
        Directory.CreateDirectory(t.Path("configs"));
        File.WriteAllText(t.Path("configs", "tiny.yaml"), """
            method: vox2vec
            seed: 3
            threads: 1
            steps: 100
            checkpointEvery: 2
            keepCheckpoints: 5
            logEvery: 1
            progress: true
            progressSeconds: 0
            runDir: runs/never-used
            cache:
              dir: /nonexistent-cache-root
              spec: ../specs/ct.yaml
            model:
              baseChannels: 4
              levels: 2
              blocksPerLevel: 1
              headOut: 8
            loss:
              infoNceChunkRows: 64
            sampling:
              patchShape: [16, 16, 8]
              volumesPerBatch: 2
              pairsPerVolume: 1
              positionsPerPair: 16
            prefetch:
              workers: 1
              capacity: 2
            """);
        return t.Path("configs", "tiny.yaml");
    }

    private static void Ingest(TempDir t)
    {
        Assert.Equal(0, CliRunner.Run("synth", "--out", t.Path("data"), "--layout", "flare", "--count", "2", "--size", "small", "--seed", "4").Exit);
        var r = CliRunner.Run("ingest", "--spec", t.Path("specs", "ct.yaml"), "--source", "flare=" + t.Path("data", "FLARE"), "--cache", t.Path("cache"), "--workers", "1");
        Assert.True(r.Exit == 0, r.Stderr);
    }

    [Fact]
    public void Pretrain_logs_plain_progress_lines_records_set_overrides_and_reads_STREAMING_CACHE()
    {
        using var t = new TempDir();
        var config = TinyConfig(t);
        Ingest(t);
        var env = new Dictionary<string, string?> { ["STREAMING_CACHE"] = t.Path("cache") };

        // The config's cache.dir does not exist: the cache comes from $STREAMING_CACHE; the spec from beside the config.
        var r = CliRunner.Run(env, "pretrain", config, "--run", t.Path("run"), "--set", "steps=4", "--set", "model.baseChannels=2", "--json");
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Contains("from $STREAMING_CACHE", r.Stderr);
        // stderr is a pipe here: one plain line per logged step (progressSeconds 0), no carriage-return redraws.
        var progress = r.Stderr.Split('\n').Where(l => l.Contains("pretrain: step ")).ToList();
        Assert.Equal(4, progress.Count);
        Assert.Contains("step 4/4 (100.0%)", progress[^1]);
        Assert.All(progress, l => Assert.Matches(@"loss \d+\.\d{4} .* steps/s .*data wait \d+% .*ETA \d\d:\d\d:\d\d", l));
        Assert.DoesNotContain('\r', r.Stderr);

        // The resolved config records what was written (progress: true) and the --set overrides.
        var resolved = File.ReadAllText(t.Path("run", "config.yaml"));
        Assert.Contains("progress: true", resolved);
        Assert.Contains("steps: 4", resolved);
        Assert.Contains("baseChannels: 2", resolved);
        Assert.Contains(t.Path("specs", "ct.yaml"), resolved);
        var backbone = JsonDocument.Parse(File.ReadAllText(t.Path("run", "backbone.json"))).RootElement;
        Assert.Equal(2, backbone.GetProperty("model").GetProperty("baseChannels").GetInt32());

        // An unknown key in --set gets the same suggestion as in a file, and nothing runs.
        var bad = CliRunner.Run(env, "pretrain", config, "--run", t.Path("run2"), "--set", "model.baseChanels=2");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("--set model.baseChanels=2", bad.Stderr);
        Assert.Contains("did you mean 'model.baseChannels'", bad.Stderr);
        Assert.False(Directory.Exists(t.Path("run2")));

        // Without the variable the config's cache.dir is used (and does not exist): one clear line.
        var noEnv = CliRunner.Run("pretrain", config, "--run", t.Path("run3"), "--set", "steps=2");
        Assert.Equal(1, noEnv.Exit);
        Assert.Contains("/nonexistent-cache-root", noEnv.Stderr);
        Assert.DoesNotContain("   at ", noEnv.Stderr);

        // The old option name still works.
        var old = CliRunner.Run(env, "pretrain", config, "--run-dir", t.Path("run4"), "--set", "steps=1", "--set", "model.baseChannels=2");
        Assert.True(old.Exit == 0, old.Stderr);
        Assert.True(File.Exists(t.Path("run4", "backbone.safetensors")));
    }

    [Fact]
    public void Export_writes_the_backbone_of_any_checkpoint_and_matches_the_trainers_own_export()
    {
        using var t = new TempDir();
        var config = TinyConfig(t);
        Ingest(t);
        var r = CliRunner.Run("pretrain", config, "--run", t.Path("run"), "--cache", t.Path("cache"), "--set", "steps=4");
        Assert.True(r.Exit == 0, r.Stderr);
        var trained = File.ReadAllBytes(t.Path("run", "backbone.safetensors"));

        // From the newest checkpoint (step 4): the same bytes as the trainer's export.
        var e = CliRunner.Run("export", "--run", t.Path("run"), "--out", t.Path("exp4"), "--json");
        Assert.True(e.Exit == 0, e.Stderr);
        var s = CliRunner.Summary(e.Stdout);
        Assert.Equal(4, s.GetProperty("step").GetInt64());
        Assert.Equal(trained, File.ReadAllBytes(t.Path("exp4", "backbone.safetensors")));

        // As if interrupted after step 2: the older checkpoint gives another model, step 2, same contract.
        var e2 = CliRunner.Run("export", "--run", t.Path("run", "checkpoints", "step-0000000002.ckpt"), "--out", t.Path("exp2"), "--pt", "--json");
        Assert.True(e2.Exit == 0, e2.Stderr);
        var manifest = JsonDocument.Parse(File.ReadAllText(t.Path("exp2", "backbone.json"))).RootElement;
        Assert.Equal(2, manifest.GetProperty("step").GetInt64());
        Assert.Equal("ct-demo-3mm", s.GetProperty("spec").GetString());
        Assert.True(manifest.GetProperty("input").TryGetProperty("specKey", out _));
        Assert.NotEqual(trained, File.ReadAllBytes(t.Path("exp2", "backbone.safetensors")));

        // backbone.pt is the same state_dict for torch.load (where Debian's python3-torch is installed).
        if (CliRunner.Python("import sys, json, struct\ntry:\n import torch\nexcept ImportError:\n print('skip'); sys.exit(0)\n" +
                       "sd = torch.load(sys.argv[1], map_location='cpu')\nraw = open(sys.argv[2], 'rb').read()\nn = struct.unpack('<Q', raw[:8])[0]\n" +
                       "head = json.loads(raw[8:8 + n]); head.pop('__metadata__', None)\nassert set(sd) == set(head), (sorted(sd), sorted(head))\n" +
                       "for k, v in head.items():\n a, b = v['data_offsets']\n t = sd[k].detach().contiguous().numpy().tobytes()\n assert t == raw[8 + n + a:8 + n + b], k\nprint('ok')",
                t.Path("exp2", "backbone.pt"), t.Path("exp2", "backbone.safetensors")) is { } py)
        {
            Assert.True(py.Exit == 0, py.Output);
            Assert.True(py.Output.Trim() is "ok" or "skip", py.Output);
        }

        // embed loads the exported model.
        var embed = CliRunner.Run("embed", "--run", t.Path("exp2"), "--from-cache", "--cache", t.Path("cache"), "--out", t.Path("emb"), "--pca", "1",
            "--window", "64,64,32", "--threads", "1", "--json");
        Assert.True(embed.Exit == 0, embed.Stderr);
        Assert.Equal(2, CliRunner.Summary(embed.Stdout).GetProperty("cases").GetArrayLength());

        // Not a run: one line, exit 1.
        var bad = CliRunner.Run("export", "--run", t.Path("nothing-here"));
        Assert.Equal(1, bad.Exit);
        Assert.Contains("nothing-here", bad.Stderr);
    }
}
