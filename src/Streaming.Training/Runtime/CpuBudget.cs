namespace Streaming.Training.Runtime;

/// <summary>
/// The CPUs this process can really use: its affinity mask (taskset, cpuset, Slurm) and its cgroup CPU quota
/// (cgroup v2 <c>cpu.max</c>, v1 <c>cpu.cfs_quota_us / cpu.cfs_period_us</c>; the tightest along the path, rounded
/// up). libtorch sizes its OpenMP pool from the machine's cores; more threads than CPUs makes them spin and wait on
/// each other (the demo fell from 8 to 0.3 steps/s when other processes were busy).
/// </summary>
public sealed record CpuBudget(int AffinityCpus, double? QuotaCpus)
{
    /// <summary>Threads to use: the affinity count, capped by the quota (at least 1).</summary>
    public int Available => Math.Max(1, QuotaCpus is { } q ? Math.Min(AffinityCpus, (int)Math.Ceiling(q - 1e-9)) : AffinityCpus);

    public override string ToString() =>
        $"{Available} CPU(s) available (affinity {AffinityCpus}, cgroup quota {(QuotaCpus is { } q ? q.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : "none")})";

    public static CpuBudget Read() => Read("/");

    internal static CpuBudget Read(string root)
    {
        var files = new CgroupFiles(root);
        var affinity = Affinity(files.ReadText("/proc/self/status")) ?? Environment.ProcessorCount;
        double? quota = null;
        foreach (var dir in files.Folders("cpu", "cpu.max"))
        {
            double? q = null;
            if (files.Number(dir + "/cpu.max") is { } max && files.Number(dir + "/cpu.max", 1) is { } period && period > 0)
                q = (double)max / period;
            else if (files.Number(dir + "/cpu.cfs_quota_us") is { } v1 && v1 > 0 && files.Number(dir + "/cpu.cfs_period_us") is { } p1 && p1 > 0)
                q = (double)v1 / p1;
            if (q is { } value) quota = quota is { } old ? Math.Min(old, value) : value;
        }
        return new CpuBudget(affinity, quota);
    }

    /// <summary>CPUs in <c>Cpus_allowed_list</c> ("0-3,8,10-11").</summary>
    internal static int? Affinity(string? status)
    {
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        if (line is null) return null;
        var n = 0;
        foreach (var range in line["Cpus_allowed_list:".Length..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = range.Split('-');
            if (!int.TryParse(ends[0], out var a) || !int.TryParse(ends[^1], out var b) || b < a) return null;
            n += b - a + 1;
        }
        return n > 0 ? n : null;
    }
}
