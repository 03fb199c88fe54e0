using System.Diagnostics;
using System.Globalization;

namespace Streaming.Training.Logging;

/// <summary>
/// GPU memory of this run, polled off the training thread (TorchSharp 0.107 exposes no CUDA allocator statistics,
/// and starting nvidia-smi on the training thread would stall steps). Prefers this process's own usage
/// (<c>--query-compute-apps</c>); where the PID is not visible (containers with their own PID namespace) it falls back
/// to the device's used memory, which includes other processes. <see cref="Latest"/> and <see cref="Peak"/> are null
/// until a reading succeeds, and stay null without nvidia-smi.
/// </summary>
public sealed class GpuMemorySampler : IDisposable
{
    private readonly int device;
    private readonly Timer timer;
    private long latest = -1, peak = -1;

    public GpuMemorySampler(int deviceIndex, TimeSpan period)
    {
        device = deviceIndex;
        timer = new Timer(_ => Sample(), null, TimeSpan.FromSeconds(2), period);
    }

    public long? Latest => Interlocked.Read(ref latest) is var v && v >= 0 ? v : null;
    public long? Peak => Interlocked.Read(ref peak) is var v && v >= 0 ? v : null;
    /// <summary>"process" or "device" (what the numbers measure), null before the first reading.</summary>
    public string? Source { get; private set; }

    private void Sample()
    {
        long? bytes = ProcessBytes();
        string source = "process";
        if (bytes is null) { bytes = MemoryProbe.GpuUsedBytes(device); source = "device"; }
        if (bytes is not long b) return;
        Source = source;
        Interlocked.Exchange(ref latest, b);
        long p;
        while (b > (p = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, b, p) != p) { }
    }

    private static long? ProcessBytes()
    {
        try
        {
            var psi = new ProcessStartInfo("nvidia-smi", "--query-compute-apps=pid,used_memory --format=csv,noheader,nounits")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return null;
            var text = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(5000) || p.ExitCode != 0) return null;
            long? sum = null;
            foreach (var line in text.Split('\n'))
            {
                var f = line.Split(',', StringSplitOptions.TrimEntries);
                if (f.Length == 2 && int.TryParse(f[0], out var pid) && pid == Environment.ProcessId
                    && long.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib))
                    sum = (sum ?? 0) + (mib << 20);
            }
            return sum;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    public void Dispose() => timer.Dispose();
}
