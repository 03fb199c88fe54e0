using System.Diagnostics;
using Streaming.Sampling;
using Streaming.Sampling.Prefetch;

namespace Streaming.Bench;

/// <summary>One batch source's single-thread throughput: the sampling benchmarks of every batch kind share it.</summary>
public static class SourceThroughput
{
    /// <summary>
    /// Batches 0..<paramref name="steps"/>-1 on this thread after one warm-up batch at <paramref name="warmupStep"/>
    /// (JIT, readers, scratch buffers): batches per wall second, CPU seconds per batch, bytes decoded per batch.
    /// </summary>
    public static (double Rate, double CpuPerBatch, long BytesPerBatch) SingleThread<TBatch>(IBatchSource<TBatch> source, long warmupStep, int steps)
        where TBatch : IBatch
    {
        source.Batch(warmupStep);
        long bytes = 0;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var t0 = Stopwatch.GetTimestamp();
        for (var k = 0; k < steps; k++) bytes += source.Batch(k).BytesDecoded;
        var wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        return (steps / wall, cpu / steps, bytes / steps);
    }

    /// <summary>
    /// <paramref name="steps"/> batches taken from a prefetch stream of <paramref name="workers"/> workers, after one
    /// warm-up batch per worker: batches per wall second and process CPU seconds per batch (the workers' included).
    /// </summary>
    public static (double Rate, double CpuPerBatch) Streamed<TBatch>(IBatchSource<TBatch> source, int workers, int steps)
        where TBatch : IBatch
    {
        using var stream = PrefetchStream.Start(source, 0, new PrefetchOptions { Workers = workers, Capacity = 2 * workers + 2 });
        for (var k = 0; k < workers; k++) stream.Take();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var t0 = Stopwatch.GetTimestamp();
        for (var k = 0; k < steps; k++) stream.Take();
        var wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        return (steps / wall, cpu / steps);
    }
}
