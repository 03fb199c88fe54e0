using Streaming.Tests;

namespace Streaming.Cli.Tests.Commands;

/// <summary><c>ingest --dry-run</c>, <c>--set</c> on a spec, nnU-Net multi-channel cases, and what the listing commands print.</summary>
public class IngestDryRunTests
{
    [Fact]
    public void Dry_run_lists_what_would_be_ingested_and_skipped_and_writes_nothing()
    {
        using var t = new TempDir();
        Assert.Equal(0, CliRunner.Run("synth", "--out", t.Path("data"), "--layout", "flare", "--count", "3", "--size", "small", "--seed", "2").Exit);
        // A second channel of the first case (nnU-Net CASE_0001): the same case, not a duplicate volume id.
        var images = Directory.GetFiles(t.Path("data", "FLARE"), "*_0000.nii.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(images);
        File.Copy(images[0], images[0].Replace("_0000.nii.gz", "_0001.nii.gz"));
        var source = "flare=" + t.Path("data", "FLARE");

        var plan = CliRunner.Run("ingest", "--spec", "pipelines/ct-demo-3mm.yaml", "--source", source, "--cache", t.Path("cache"), "--dry-run");
        Assert.True(plan.Exit == 0, plan.Stderr);
        var rows = plan.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var count = images.Count;
        Assert.Equal(count, rows.Count(l => l.StartsWith("ingest ")));
        var channel = Assert.Single(rows, l => l.StartsWith("skip "));
        Assert.Contains("_0001.nii.gz", channel);
        Assert.Contains("one channel per volume", channel);
        Assert.False(Directory.Exists(t.Path("cache")));

        // After the real ingest the same plan skips every case as cached.
        var real = CliRunner.Run("ingest", "--spec", "pipelines/ct-demo-3mm.yaml", "--source", source, "--cache", t.Path("cache"), "--json");
        Assert.Equal(0, real.Exit);
        Assert.Equal(count, CliRunner.Summary(real.Stdout).GetProperty("done").GetInt32());
        var again = CliRunner.Summary(CliRunner.Run("ingest", "--spec", "pipelines/ct-demo-3mm.yaml", "--source", source, "--cache", t.Path("cache"), "--dry-run", "--json").Stdout);
        Assert.Equal(0, again.GetProperty("wouldIngest").GetInt32());
        Assert.Equal(count + 1, again.GetProperty("wouldSkip").GetInt32());
        Assert.Contains(again.GetProperty("items").EnumerateArray(), i => i.GetProperty("reason").GetString()!.StartsWith("already cached"));
        var key = again.GetProperty("cacheKey").GetString();

        // --set changes the spec, hence the cache key: everything would be ingested again, into another key.
        var other = CliRunner.Summary(CliRunner.Run("ingest", "--spec", "pipelines/ct-demo-3mm.yaml", "--source", source, "--cache", t.Path("cache"),
            "--set", "targetSpacing=[4,4,4]", "--dry-run", "--json").Stdout);
        Assert.Equal(count, other.GetProperty("wouldIngest").GetInt32());
        Assert.NotEqual(key, other.GetProperty("cacheKey").GetString());
        var typo = CliRunner.Run("ingest", "--spec", "pipelines/ct-demo-3mm.yaml", "--source", source, "--set", "targetSpaceing=[4,4,4]", "--dry-run");
        Assert.Equal(1, typo.Exit);
        Assert.Contains("did you mean 'targetSpacing'", typo.Stderr);

        // Tables go to stdout (grep sees them), logs to stderr.
        var ls = CliRunner.Run("cache", "ls", "--cache", t.Path("cache"), "--volumes");
        Assert.Equal(0, ls.Exit);
        var volumes = ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, volumes.Length);
        Assert.All(volumes, l => Assert.StartsWith(key + "\t", l));
        var id = volumes[0].Split('\t')[1];
        Assert.StartsWith("FLARE/", id);
        Assert.Contains(key!, CliRunner.Run("cache", "ls", "--cache", t.Path("cache")).Stdout);

        // inspect --json: numbers and arrays, not display strings.
        var inspect = CliRunner.Run("inspect", id, "--cache", t.Path("cache"), "--json");
        Assert.True(inspect.Exit == 0, inspect.Stderr);
        var info = CliRunner.Summary(inspect.Stdout).GetProperty("info");
        Assert.Equal(3, info.GetProperty("shape").GetArrayLength());
        Assert.True(info.GetProperty("shape")[0].GetInt32() > 0);
        Assert.Equal(3.0, info.GetProperty("spacing")[2].GetDouble());
        Assert.True(info.GetProperty("shardBytes").GetInt64() > 0);
        Assert.True(info.GetProperty("stats").GetProperty("max").GetDouble() > info.GetProperty("stats").GetProperty("min").GetDouble());
        var text = CliRunner.Run("inspect", id, "--cache", t.Path("cache"));
        Assert.Matches(@"spacing\s+3 x 3 x 3", text.Stdout);

        // A damaged cached shard is re-ingested by a real run, so the plan says so (the cache itself is only read).
        var shard = Directory.GetFiles(Path.Combine(t.Path("cache"), key!, "shards"), "*.arrow").Order(StringComparer.Ordinal).First();
        using (var f = new FileStream(shard, FileMode.Open)) f.SetLength(f.Length / 2);
        var truncated = new FileInfo(shard).Length;
        var damaged = CliRunner.Summary(CliRunner.Run("ingest", "--spec", "pipelines/ct-demo-3mm.yaml", "--source", source, "--cache", t.Path("cache"), "--dry-run", "--json").Stdout);
        Assert.Equal(1, damaged.GetProperty("wouldIngest").GetInt32());
        Assert.Contains(damaged.GetProperty("items").EnumerateArray(), i => i.GetProperty("action").GetString() == "ingest" && i.GetProperty("reason").GetString()!.Contains("re-ingesting"));
        Assert.Equal(truncated, new FileInfo(shard).Length); // the plan repairs nothing
    }
}
