using System.Diagnostics;
using Streaming.Sampling;
using Streaming.Sampling.Pairs;
using Streaming.Tests;
using Streaming.Training.Data;
using Streaming.Training.Loop;

namespace Streaming.Training.Tests;

/// <summary>Signals reach every registered handler in the process, so this runs alone (no parallel training tests).</summary>
[Collection(nameof(MemoryTests))]
public class SignalTests
{
    [Fact]
    public void Sigterm_FinishesTheStep_WritesCheckpoint_AndReportsInterrupted()
    {
        using var dir = new TempDir();
        var c = Tiny.Config(dir.Path("run"), 100, 1000);
        var source = Tiny.Source(c);
        var s = PretrainRunner.Run(c, (start, _) => new SignalAt(new SourceBatchStream<PairBatch>(source, start), 3), false, default, TextWriter.Null);
        Assert.Equal(RunStatus.Interrupted, s.Status);
        Assert.Equal(4, s.EndStep);                       // step 3 (0-based) was completed, then the loop stopped
        Assert.Equal("signal SIGTERM", s.StopReason);
        Assert.Equal(4, CheckpointStore.Read(s.LastCheckpoint!).Step);
        Assert.Contains("\"interrupted\"", File.ReadAllText(dir.Path("run", "events.jsonl")));
    }

    private sealed class SignalAt(IBatchStream<PairBatch> inner, long step) : IBatchStream<PairBatch>
    {
        public PairBatch Take(CancellationToken ct = default)
        {
            var b = inner.Take(ct);
            if (b.Step == step)
            {
                using var kill = Process.Start("kill", $"-TERM {Environment.ProcessId}");
                kill.WaitForExit();
                var sw = Stopwatch.StartNew();
                while (!ct.IsCancellationRequested && sw.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(5);
                Assert.True(ct.IsCancellationRequested, "SIGTERM did not reach the training loop");
            }
            return b;
        }
        public BatchTelemetry LastTelemetry => inner.LastTelemetry;
        public void Dispose() => inner.Dispose();
    }
}
