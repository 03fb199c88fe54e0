using Streaming.Tests;
using Streaming.Training.Runtime;

namespace Streaming.Training.Tests.Runtime;

/// <summary>CPU budget and memory limit from fake /proc and /sys trees (cgroup v2, v1 with a nested path, none).</summary>
public class MachineLimitsTests
{
    private static void Write(TempDir t, string path, string text)
    {
        var full = t.Path(path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private static TempDir V2(string cpus, string? cpuMax, string? parentCpuMax, string? memMax)
    {
        var t = new TempDir();
        Write(t, "/proc/self/status", $"Name:\tdotnet\nCpus_allowed:\tff\nCpus_allowed_list:\t{cpus}\nMems_allowed_list:\t0\n");
        Write(t, "/proc/self/cgroup", "0::/job/step\n");
        Write(t, "/proc/self/mountinfo", "25 30 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n30 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
        Write(t, "/proc/meminfo", "MemTotal:       24684092 kB\nMemFree:  100 kB\nMemAvailable:   22138288 kB\n");
        Write(t, "/sys/fs/cgroup/cpu.max", "max 100000\n");
        if (parentCpuMax is not null) Write(t, "/sys/fs/cgroup/job/cpu.max", parentCpuMax);
        if (cpuMax is not null) Write(t, "/sys/fs/cgroup/job/step/cpu.max", cpuMax);
        if (memMax is not null) Write(t, "/sys/fs/cgroup/job/step/memory.max", memMax);
        return t;
    }

    [Theory]
    [InlineData("0-1", null, null, 2, null)]
    [InlineData("0-3,8,10-11", null, null, 7, null)]
    [InlineData("0-7", "150000 100000", null, 2, 1.5)]          // 1.5 CPUs of quota → 2 threads
    [InlineData("0-7", "max 100000", "300000 100000", 3, 3.0)]  // the parent's quota binds
    [InlineData("0-1", "400000 100000", null, 2, 4.0)]          // affinity is tighter than the quota
    [InlineData("0-7", "20000 100000", null, 1, 0.2)]           // never below one thread
    public void Cpu_budget_is_the_affinity_capped_by_the_tightest_cgroup_v2_quota(string cpus, string? cpuMax, string? parent, int expected, double? quota)
    {
        using var t = V2(cpus, cpuMax, parent, null);
        var b = CpuBudget.Read(t.Root);
        Assert.Equal(expected, b.Available);
        Assert.Equal(quota, b.QuotaCpus);
    }

    [Fact]
    public void Cgroup_v1_quota_and_memory_limit_are_read_from_the_controllers_own_hierarchies()
    {
        using var t = new TempDir();
        Write(t, "/proc/self/status", "Cpus_allowed_list:\t0-15\n");
        Write(t, "/proc/self/cgroup", "4:memory:/process_api/abc\n2:cpu,cpuacct:/slurm/job1\n0::/\n");
        Write(t, "/proc/self/mountinfo",
            "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n" +
            "35 31 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n40 31 0:33 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
        Write(t, "/proc/meminfo", "MemTotal:       24684092 kB\nMemAvailable:   1000 kB\n");
        Write(t, "/sys/fs/cgroup/cpu,cpuacct/slurm/job1/cpu.cfs_quota_us", "400000\n");
        Write(t, "/sys/fs/cgroup/cpu,cpuacct/slurm/job1/cpu.cfs_period_us", "100000\n");
        Write(t, "/sys/fs/cgroup/cpu,cpuacct/slurm/cpu.cfs_quota_us", "-1\n");
        Write(t, "/sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes", "4294967296\n");
        Write(t, "/sys/fs/cgroup/memory/process_api/memory.limit_in_bytes", "9223372036854771712\n");
        Write(t, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");

        var cpu = CpuBudget.Read(t.Root);
        Assert.Equal(16, cpu.AffinityCpus);
        Assert.Equal(4, cpu.Available);
        var mem = MemoryLimit.Read(t.Root);
        Assert.Equal(4L << 30, mem.CgroupBytes);
        Assert.Equal(4L << 30, mem.LimitBytes);
        Assert.Equal("cgroup memory limit 4.0 GiB", mem.Describe());
    }

    [Theory]
    [InlineData("8589934592\n", 8L << 30)]
    [InlineData("max\n", 24684092L * 1024)]
    [InlineData(null, 24684092L * 1024)]
    public void Memory_limit_is_the_cgroup_v2_limit_or_the_machines_memory(string? memMax, long expected)
    {
        using var t = V2("0-1", null, null, memMax);
        var m = MemoryLimit.Read(t.Root);
        Assert.Equal(expected, m.LimitBytes);
        Assert.Equal(22138288L * 1024, m.AvailableBytes);
    }

    [Fact]
    public void This_machine_reads_without_error_and_the_wait_policy_reaches_the_native_environment()
    {
        var cpu = CpuBudget.Read();
        Assert.InRange(cpu.Available, 1, Environment.ProcessorCount);
        Assert.True(MemoryLimit.Read().LimitBytes > 1L << 28);
        OpenMpPolicy.Set("passive");
        Assert.Equal(Environment.GetEnvironmentVariable(OpenMpPolicy.Variable), OpenMpPolicy.Native());
    }
}
