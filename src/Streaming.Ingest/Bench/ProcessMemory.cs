namespace Streaming.Ingest.Bench;

/// <summary>Resident memory from /proc/self/status (includes native buffers the GC does not see).</summary>
public static class ProcessMemory
{
    public static long ResidentBytes() => Read("VmRSS:");

    /// <summary>Peak resident memory of the process so far.</summary>
    public static long PeakResidentBytes() => Read("VmHWM:");

    private static long Read(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        return Environment.WorkingSet;
    }
}
