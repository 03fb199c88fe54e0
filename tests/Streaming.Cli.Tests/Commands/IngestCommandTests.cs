using System.Text.Json;
using Streaming.Tests;

namespace Streaming.Cli.Tests.Commands;

public class IngestCommandTests
{
    [Fact]
    public void Phantom_faults_are_reported_by_file_the_rest_is_cached_and_the_exit_code_says_so()
    {
        using var t = new TempDir();
        var synth = CliRunner.Run("synth", "--out", t.Path("data"), "--layout", "nlst", "--count", "3", "--size", "small", "--corrupt", "--json");
        Assert.Equal(0, synth.Exit);
        Assert.Equal(3, CliRunner.Summary(synth.Stdout).GetProperty("faults").GetInt32());

        var r = CliRunner.Run("ingest", "--spec", "pipelines/ct-demo-3mm.yaml", "--source", "nlst=" + t.Path("data", "NLST"), "--cache", t.Path("cache"), "--workers", "2", "--json");
        Assert.Equal(2, r.Exit);
        var s = CliRunner.Summary(r.Stdout);
        Assert.Equal("ingest", s.GetProperty("command").GetString());
        // 3 good patients + 2 readable corrupt-case patients (mixed series: the larger one is chosen; stray file: noted).
        Assert.Equal(5, s.GetProperty("done").GetInt32());
        var failure = Assert.Single(s.GetProperty("failures").EnumerateArray());
        Assert.Contains("corrupt-missing-slice", failure.GetProperty("path").GetString());
        Assert.Contains("missing slice", failure.GetProperty("reason").GetString());
        Assert.Contains(s.GetProperty("notes").EnumerateArray(), n => n.GetProperty("path").GetString()!.EndsWith("stray-not-dicom.txt"));

        // A second run skips everything that is done and reports the same failure again.
        var again = CliRunner.Summary(CliRunner.Run("ingest", "--spec", "pipelines/ct-demo-3mm.yaml", "--source", "nlst=" + t.Path("data", "NLST"), "--cache", t.Path("cache"), "--json").Stdout);
        Assert.Equal(0, again.GetProperty("done").GetInt32());
        Assert.Equal(5, again.GetProperty("skipped").GetInt32());
        Assert.Equal(1, again.GetProperty("failed").GetInt32());

        var verify = CliRunner.Run("cache", "verify", "--cache", t.Path("cache"), "--json");
        Assert.Equal(0, verify.Exit);
        Assert.True(CliRunner.Summary(verify.Stdout).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void A_killed_ingest_leaves_a_consistent_cache_and_the_rerun_finishes_it()
    {
        using var t = new TempDir();
        Assert.Equal(0, CliRunner.Run("synth", "--out", t.Path("data"), "--layout", "flare", "--count", "24", "--size", "small", "--seed", "5").Exit);
        var args = new[] { "ingest", "--spec", "pipelines/ct-demo-3mm.yaml", "--source", "flare=" + t.Path("data", "FLARE"), "--cache", t.Path("cache"), "--workers", "1", "--json" };
        using (var p = CliRunner.Start(args))
        {
            // Kill (SIGKILL, no chance to clean up) once a few volumes are committed.
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline && CommittedLines(t.Path("cache")) < 3 && !p.HasExited) Thread.Sleep(20);
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        var before = CommittedLines(t.Path("cache"));
        Assert.InRange(before, 3, 23);

        var verify = CliRunner.Run("cache", "verify", "--cache", t.Path("cache"), "--json");
        Assert.Equal(0, verify.Exit);

        var r = CliRunner.Run(args);
        Assert.Equal(0, r.Exit);
        var s = CliRunner.Summary(r.Stdout);
        Assert.Equal(24, s.GetProperty("done").GetInt32() + s.GetProperty("skipped").GetInt32());
        Assert.True(s.GetProperty("skipped").GetInt32() >= before);
        var ls = CliRunner.Summary(CliRunner.Run("cache", "ls", "--cache", t.Path("cache"), "--json").Stdout);
        Assert.Equal(24, ls.GetProperty("keys")[0].GetProperty("volumes").GetInt32());
    }

    [Fact]
    public void Bad_arguments_fail_with_a_message_and_a_json_line()
    {
        var r = CliRunner.Run("ingest", "--spec", "pipelines/nope.yaml", "--source", "flare=/nowhere", "--json");
        Assert.Equal(1, r.Exit);
        Assert.Contains("nope.yaml", r.Stderr);
        Assert.False(CliRunner.Summary(r.Stdout).GetProperty("ok").GetBoolean());
    }

    private static int CommittedLines(string cache) =>
        !Directory.Exists(cache) ? 0 : Directory.EnumerateFiles(cache, "*.jsonl", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}catalog{Path.DirectorySeparatorChar}"))
            .Sum(f => { try { return File.ReadAllLines(f).Length; } catch (IOException) { return 0; } });
}
