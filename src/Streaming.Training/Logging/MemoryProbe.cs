using System.Diagnostics;
using System.Globalization;

namespace Streaming.Training.Logging;

/// <summary>
/// Process memory as the OS sees it (/proc/self/status): includes libtorch's native allocations, which the .NET GC
/// cannot see. GPU memory comes from nvidia-smi (TorchSharp exposes no CUDA allocator statistics), sampled rarely.
/// The benchmarks (Streaming.Bench) read process memory through here too.
/// </summary>
public static class MemoryProbe
{
    /// <summary>Resident set size in bytes (VmRSS).</summary>
    public static long RssBytes() => Read("VmRSS:");

    /// <summary>Peak resident set size in bytes (VmHWM).</summary>
    public static long PeakRssBytes() => Read("VmHWM:");

    private static long Read(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        return Environment.WorkingSet;
    }

    /// <summary>Used GPU memory (bytes) of device <paramref name="index"/>, or null if nvidia-smi is unavailable.</summary>
    public static long? GpuUsedBytes(int index)
    {
        try
        {
            var psi = new ProcessStartInfo("nvidia-smi", $"--query-gpu=memory.used --format=csv,noheader,nounits -i {index}")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return null;
            var text = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(5000) || p.ExitCode != 0) return null;
            return long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib) ? mib << 20 : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
