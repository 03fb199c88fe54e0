namespace Streaming.Training.Runtime;

/// <summary>
/// How much memory this process may use: the machine's RAM (/proc/meminfo MemTotal) capped by its cgroup limit
/// (v2 <c>memory.max</c>, v1 <c>memory.limit_in_bytes</c>; the tightest along the path). What the OOM killer
/// enforces is the limit, so that is what a memory estimate is checked against.
/// </summary>
public sealed record MemoryLimit(long TotalBytes, long? CgroupBytes, long? AvailableBytes)
{
    /// <summary>The binding limit.</summary>
    public long LimitBytes => CgroupBytes is { } c ? Math.Min(c, TotalBytes) : TotalBytes;

    /// <summary>"cgroup limit 8.0 GiB" or "machine memory 23.5 GiB" (which one binds).</summary>
    public string Describe() => CgroupBytes is { } c && c < TotalBytes
        ? $"cgroup memory limit {Gib(c)}"
        : $"machine memory {Gib(TotalBytes)}{(AvailableBytes is { } a ? $" ({Gib(a)} available now)" : "")}";

    public static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " GiB";

    public static MemoryLimit Read() => Read("/");

    internal static MemoryLimit Read(string root)
    {
        var files = new CgroupFiles(root);
        var meminfo = files.ReadText("/proc/meminfo");
        var total = Kb(meminfo, "MemTotal:") ?? long.MaxValue;
        long? cgroup = null;
        foreach (var dir in files.Folders("memory", "memory.max"))
        {
            var v = files.Number(dir + "/memory.max") ?? files.Number(dir + "/memory.limit_in_bytes");
            // v1 writes "no limit" as a page-rounded 2^63.
            if (v is { } b && b > 0 && b < 1L << 60) cgroup = cgroup is { } old ? Math.Min(old, b) : b;
        }
        return new MemoryLimit(total, cgroup, Kb(meminfo, "MemAvailable:"));
    }

    private static long? Kb(string? meminfo, string key)
    {
        var line = meminfo?.Split('\n').FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        var parts = line?[key.Length..].Trim().Split(' ');
        return parts is { Length: > 0 } && long.TryParse(parts[0], out var kb) ? kb * 1024 : null;
    }
}
