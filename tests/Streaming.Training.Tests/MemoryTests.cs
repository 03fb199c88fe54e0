using Streaming.Sampling;
using Streaming.Tests;
using Streaming.Training.Data;
using Streaming.Training.Logging;
using TorchSharp;

namespace Streaming.Training.Tests;

/// <summary>Process RSS is shared by all tests: run this one alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public sealed class MemoryCollection;

[Collection(nameof(MemoryTests))]
public class MemoryTests
{
    [Fact]
    public void NativeMemoryStaysFlatOver500TinySteps()
    {
        using var dir = new TempDir();
        var c = Tiny.Config(dir.Path("run"), 500, 10_000, patch: 8, positions: 16) with { LogEvery = 100 };
        var at = new Dictionary<long, (long Rss, long Live)>();
        var source = Tiny.Source(c);
        PretrainRunner.Run(c, start => new Probe(new SourceBatchStream(source, start), at), false, default, TextWriter.Null);
        // Undisposed tensors on the training thread: exactly constant when every step's tensors are freed.
        Assert.Equal(at[100].Live, at[499].Live);
        // Process RSS (includes libtorch's native heap): a leaked step graph would add tens of KB per step; allow
        // 16 MiB over 400 steps for JIT tiering and managed-heap growth.
        long growth = at[499].Rss - at[100].Rss;
        Assert.True(growth < 16L << 20, $"RSS grew by {growth >> 10} KiB between step 100 ({at[100].Rss >> 20} MiB) and 499 ({at[499].Rss >> 20} MiB)");
    }

    /// <summary>Samples memory on the training thread (Take runs there; dispose-scope statistics are per thread).</summary>
    private sealed class Probe(IBatchStream inner, Dictionary<long, (long, long)> at) : IBatchStream
    {
        public PairBatch Take(CancellationToken ct = default)
        {
            var b = inner.Take(ct);
            if (b.Step is 100 or 499) at[b.Step] = (MemoryProbe.RssBytes(), DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            return b;
        }
        public BatchTelemetry LastTelemetry => inner.LastTelemetry;
        public void Dispose() => inner.Dispose();
    }
}
