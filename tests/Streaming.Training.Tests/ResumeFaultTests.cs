using System.Runtime.InteropServices;
using System.Text.Json;
using Streaming.Tests;
using Streaming.Training.Logging;
using Streaming.Training.Loop;

namespace Streaming.Training.Tests;

/// <summary>
/// What a killed or damaged run leaves behind, and what the next run makes of it: metrics lines past the checkpoint
/// (kill -9 after logging), a damaged newest checkpoint (said on the console), a second signal (abandon at once, after
/// a checkpoint write in flight).
/// </summary>
public class ResumeFaultTests
{
    private static long[] MetricSteps(string runDir) =>
        File.ReadLines(Path.Combine(runDir, TrainingLog.MetricsFile)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToArray();

    [Fact]
    public void Resume_drops_metrics_lines_past_the_checkpoint_and_a_torn_line_so_each_step_is_logged_once()
    {
        using var dir = new TempDir();
        var c = Tiny.Config(dir.Path("run"), 6, 4);
        PretrainRunner.Run(c, Tiny.Streams(c), false, default, TextWriter.Null);
        // As after kill -9 between the log line of step 6 and its checkpoint: steps 5 and 6 logged, newest checkpoint at 4,
        // and a line cut short by the kill.
        File.Delete(new CheckpointStore(dir.Path("run", "checkpoints"), 3).PathFor(6));
        Assert.Equal([1, 2, 3, 4, 5, 6], MetricSteps(dir.Path("run")));
        File.AppendAllText(dir.Path("run", TrainingLog.MetricsFile), "{\"step\":7,\"lo");

        var resumed = PretrainRunner.Run(c with { Steps = 8 }, Tiny.Streams(c), true, default, TextWriter.Null);
        Assert.Equal(4, resumed.StartStep);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], MetricSteps(dir.Path("run")));
        Assert.Contains("dropped 3 metrics.jsonl lines past step 4", File.ReadAllText(dir.Path("run", "events.jsonl")));
    }

    [Fact]
    public void A_damaged_newest_checkpoint_is_said_in_one_console_line_naming_it_and_the_one_resumed_from()
    {
        using var dir = new TempDir();
        var c = Tiny.Config(dir.Path("run"), 6, 4);
        PretrainRunner.Run(c, Tiny.Streams(c), false, default, TextWriter.Null);
        var store = new CheckpointStore(dir.Path("run", "checkpoints"), 3);
        var newest = store.PathFor(6);
        var bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(newest, bytes);

        var lines = new List<string>();
        var s = PretrainRunner.Run(c with { Steps = 8 }, Tiny.Streams(c), true, default, TextWriter.Null, notice: lines.Add);
        Assert.Equal(4, s.StartStep);
        var line = Assert.Single(lines);
        Assert.Contains("step-0000000006.ckpt: checksum mismatch", line);
        Assert.Contains($"resuming from the newest intact checkpoint {store.PathFor(4)} (step 4)", line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void A_second_signal_abandons_the_run_only_after_a_checkpoint_write_in_flight()
    {
        using var dir = new TempDir();
        using var log = new TrainingLog(dir.Path("run"));
        var gate = new WriteGate();
        gate.Saved("/runs/x/checkpoints/step-0000000004.ckpt", 4);
        using var writing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var writer = new Thread(() => gate.Write(() => { writing.Set(); release.Wait(); gate.Saved("/runs/x/checkpoints/step-0000000005.ckpt", 5); return 0; }));
        writer.Start();
        writing.Wait();

        var exitCode = -1;
        var lines = new List<string>();
        PretrainAbandoned? told = null;
        using var exited = new ManualResetEventSlim();
        var signals = new ShutdownSignals(default, sig =>
            PretrainRunner.Abandon(sig, gate, log, lines.Add, a => told = a, code => { exitCode = code; exited.Set(); }));
        signals.Receive(PosixSignal.SIGTERM);
        Assert.True(signals.Token.IsCancellationRequested);     // first: graceful stop
        Assert.Equal(-1, exitCode);
        signals.Receive(PosixSignal.SIGTERM);                  // second: stop now, but not during the write
        Assert.False(exited.Wait(TimeSpan.FromMilliseconds(300)), "the process would have ended during a checkpoint write");
        release.Set();
        Assert.True(exited.Wait(TimeSpan.FromSeconds(10)));
        writer.Join();
        Assert.Equal(PretrainRunner.AbandonedExitCode, exitCode);
        Assert.Equal(3, exitCode);
        Assert.Equal(new PretrainAbandoned("SIGTERM", "/runs/x/checkpoints/step-0000000005.ckpt", 5), told);
        Assert.Equal("pretrain: second SIGTERM: stopped at once without finishing the step; --resume continues from /runs/x/checkpoints/step-0000000005.ckpt (step 5)",
            Assert.Single(lines));
        Assert.Contains("\"abandoned\"", File.ReadAllText(dir.Path("run", "events.jsonl")));
        signals.Receive(PosixSignal.SIGINT);                   // a third signal changes nothing
        Thread.Sleep(100);
        Assert.Single(lines);
    }
}
