using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Logging;

/// <summary>
/// Where a training step's time goes (the <c>stepTiming: true</c> setting): host-to-device copies, forward, loss,
/// backward, gradient clipping, optimizer. On CUDA every phase boundary waits for the device (cuda.synchronize), so a
/// phase is billed for its own kernels; that removes the overlap of host and device work, so timed runs are slower
/// than untimed ones and steps/s should come from an untimed run. Off (the default), <see cref="Mark"/> costs one
/// thread-static read.
/// </summary>
/// <remarks>
/// The marks sit inside the methods' Forward (shared by every method), which reach the timer through this
/// thread-static slot rather than an extra parameter, the way TorchSharp's own dispose scopes work; the trainer's
/// thread is the only one that trains.
/// </remarks>
public sealed class StepTimer(Device device)
{
    [ThreadStatic] private static StepTimer? Active;

    private readonly Stopwatch clock = new();
    private readonly Dictionary<string, double> sums = [];
    private int steps;

    /// <summary>Records the time since the previous mark under <paramref name="phase"/> (no-op when no timer is active).</summary>
    public static void Mark(string phase) => Active?.Record(phase);

    /// <summary>Starts timing one step on this thread; dispose the result when the step ends.</summary>
    public IDisposable Step()
    {
        Sync();
        Active = this;
        steps++;
        clock.Restart();
        return new End(this);
    }

    /// <summary>Mean milliseconds per step of each phase since the last call, and resets.</summary>
    public IReadOnlyDictionary<string, double> Flush()
    {
        var result = sums.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / Math.Max(steps, 1), 3));
        sums.Clear();
        steps = 0;
        return result;
    }

    private void Record(string phase)
    {
        Sync();
        sums[phase] = (sums.TryGetValue(phase, out var s) ? s : 0) + clock.Elapsed.TotalMilliseconds;
        clock.Restart();
    }

    private void Sync()
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    private sealed class End(StepTimer timer) : IDisposable
    {
        public void Dispose()
        {
            timer.Record("other");
            Active = null;
        }
    }
}
