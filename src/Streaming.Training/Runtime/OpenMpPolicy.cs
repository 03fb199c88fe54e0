using System.Runtime.InteropServices;

namespace Streaming.Training.Runtime;

/// <summary>
/// libtorch's OpenMP runtime (libgomp) reads <c>OMP_WAIT_POLICY</c> once, when it is loaded. Spinning waits (the
/// default spins a while, <c>active</c> for ever) are fastest on cores the process has to itself, and collapse
/// throughput when other processes hold the cores: the spinning threads steal the time the working ones need. Passive
/// waiting sleeps instead. Measured on the 2-core VM (docs/benchmarks.md): the demo config trains 1.8x faster with
/// the default than with passive on a quiet machine, while passive is 3-9x faster beside busy processes. So passive
/// is chosen only when the machine is already busy at start (1-minute load average at or above the CPUs available),
/// and never over the user's own setting. <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes
/// only .NET's copy of the environment, so this calls libc's setenv, and must run before the first torch call.
/// </summary>
public static partial class OpenMpPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>"passive" when the load already fills the available CPUs, else null (the runtime's default).</summary>
    public static string? Choose(double loadAverage, int availableCpus) => loadAverage >= availableCpus ? "passive" : null;

    /// <summary>
    /// Sets OMP_WAIT_POLICY from <see cref="Choose"/> and this machine's load unless the user set it. Returns the value in
    /// effect (null: the runtime's default).
    /// </summary>
    public static string? Apply(int availableCpus)
    {
        var current = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(current)) return current;
        if (Choose(LoadAverage(), availableCpus) is not { } policy) return null;
        Set(policy);
        return policy;
    }

    /// <summary>Sets the policy for this process (native and .NET environment); the user's own setting is kept.</summary>
    public static void Set(string policy)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) SetEnv(Variable, policy, 0);
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) Environment.SetEnvironmentVariable(Variable, policy);
    }

    /// <summary>The 1-minute load average (/proc/loadavg); 0 where it cannot be read.</summary>
    private static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    /// <summary>What the OpenMP runtime saw (the native environment).</summary>
    public static string? Native() => Marshal.PtrToStringUTF8(GetEnv(Variable));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);
}
