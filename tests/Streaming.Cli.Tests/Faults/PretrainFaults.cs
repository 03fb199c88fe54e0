using System.Diagnostics;
using Streaming.Tests;

namespace Streaming.Cli.Tests.Faults;

/// <summary>
/// Pre-training faults end to end through the CLI, as users and schedulers run it: signals, a config that cannot fit
/// in memory, missing and truncated shards, a damaged newest checkpoint. Each asserts the exit code, the reported
/// reason and that nothing is lost (checkpoints intact, resume completes, each step logged once).
/// </summary>
public class PretrainFaults
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void A_second_signal_during_the_graceful_stop_ends_pretrain_at_once_with_exit_3_and_intact_checkpoints(string signal)
    {
        using var t = new TempDir();
        // Steps of a few hundred ms (base 8, 3 levels, 32x32x16 patches): the second signal lands inside a step.
        var run = new PretrainRun(t, size: 32, baseChannels: 8, levels: 3, patch: "[32, 32, 16]", steps: 400, checkpointEvery: 2);
        using var p = CliRunner.Start(run.Args("--json"));
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline && !p.HasExited && !HasCheckpoint(run)) Thread.Sleep(50);
        Assert.False(p.HasExited, "pretrain ended before the signal"); // (not stderr.Result here: it waits for the exit)
        Kill(signal, p.Id);
        Thread.Sleep(100);
        var second = Stopwatch.StartNew();
        Kill(signal, p.Id);
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "no exit after the second signal");
        var err = stderr.Result;
        Assert.True(p.ExitCode == 3, $"exit {p.ExitCode}: {err}");
        Assert.True(second.Elapsed < TimeSpan.FromSeconds(30), $"took {second.Elapsed} after the second signal");
        Assert.DoesNotContain("InvalidOperationException", err);
        Assert.DoesNotContain("   at ", err);
        var summary = CliRunner.Summary(stdout.Result);
        if (err.Contains($"second SIG{signal}: stopped at once without finishing the step", StringComparison.Ordinal))
        {
            Assert.True(summary.GetProperty("abandoned").GetBoolean());
            Assert.Equal($"SIG{signal}", summary.GetProperty("interrupted").GetString());
        }
        else Assert.Equal("Interrupted", summary.GetProperty("summary").GetProperty("status").GetString()); // the graceful stop won the race
        var steps = run.IntactCheckpointSteps();
        Assert.NotEmpty(steps);

        // Nothing lost: the run resumes from the newest checkpoint and completes; each step is logged once.
        run.WriteConfig(8, 3, "[32, 32, 16]", (int)steps[^1] + 2, 2);
        var resumed = CliRunner.Run(run.Args("--resume"));
        Assert.True(resumed.Exit == 0, resumed.Stderr);
        var logged = run.MetricSteps();
        Assert.Equal(logged.Distinct().Count(), logged.Length);
        Assert.Equal(steps[^1] + 2, logged[^1]);
    }

    [Fact]
    public void A_sampling_config_that_cannot_fit_in_memory_is_refused_with_the_estimate_and_the_limit()
    {
        using var t = new TempDir();
        var run = new PretrainRun(t, patch: "[320, 320, 160]");
        var r = CliRunner.Run(run.Args("--json"));
        Assert.Equal(1, r.Exit);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("error:", StringComparison.Ordinal));
        Assert.Matches(@"estimated peak memory [0-9.]+ GiB exceeds the (machine memory|cgroup memory limit) [0-9.]+ GiB", line);
        Assert.Contains("model activations", line);
        Assert.Contains("320x320x160", line);
        Assert.Contains("--force-memory", line);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.False(Directory.Exists(run.Checkpoints)); // refused before anything was written
        var json = CliRunner.Summary(r.Stdout);
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Contains("estimated peak memory", json.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("truncated")]
    public void A_missing_or_truncated_shard_skips_its_volume_through_the_ledger_and_the_run_completes(string damage)
    {
        using var t = new TempDir();
        var run = new PretrainRun(t, steps: 6, checkpointEvery: 3);
        var shard = run.ShardPaths[1];
        if (damage == "missing") File.Delete(shard);
        else File.WriteAllBytes(shard, File.ReadAllBytes(shard)[..100]);
        var r = CliRunner.Run(run.Args());
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Contains("sampler: volume D/v1 skipped from step", r.Stderr);
        Assert.Contains(damage == "missing" ? "is missing" : "cannot be opened", r.Stderr);
        Assert.Equal([3, 6], run.IntactCheckpointSteps());
        Assert.Equal([1, 2, 3, 4, 5, 6], run.MetricSteps());
    }

    [Fact]
    public void A_damaged_newest_checkpoint_is_said_on_stderr_and_resume_continues_from_the_previous_one()
    {
        using var t = new TempDir();
        var run = new PretrainRun(t, steps: 4, checkpointEvery: 2);
        Assert.Equal(0, CliRunner.Run(run.Args()).Exit);
        var newest = Path.Combine(run.Checkpoints, "step-0000000004.ckpt");
        var bytes = File.ReadAllBytes(newest);
        bytes[^40] ^= 0x01;
        File.WriteAllBytes(newest, bytes);
        run.WriteConfig(2, 2, "[16, 16, 8]", 6, 2);
        var r = CliRunner.Run(run.Args("--resume"));
        Assert.True(r.Exit == 0, r.Stderr);
        var said = Assert.Single(r.Stderr.Split('\n'), l => l.Contains("damaged", StringComparison.Ordinal) || l.Contains("checksum", StringComparison.Ordinal));
        Assert.Contains("step-0000000004.ckpt: checksum mismatch", said);
        Assert.Contains("resuming from the newest intact checkpoint", said);
        Assert.Contains("(step 2)", said);
        Assert.Equal([1, 2, 3, 4, 5, 6], run.MetricSteps()); // steps 3-4 of the first run were dropped, then logged again
    }

    private static bool HasCheckpoint(PretrainRun run) =>
        Directory.Exists(run.Checkpoints) && Directory.GetFiles(run.Checkpoints, "step-*.ckpt").Length > 0;

    private static void Kill(string signal, int pid)
    {
        using var k = Process.Start("kill", $"-{signal} {pid}")!;
        k.WaitForExit();
    }
}
