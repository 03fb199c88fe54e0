using System.Runtime.InteropServices;

namespace Streaming.Training.Runtime;

/// <summary>
/// libtorch's OpenMP runtime (libgomp) reads <c>OMP_WAIT_POLICY</c> once, when it is loaded. Spinning waits are fastest
/// on cores the process has to itself and collapse throughput when other processes hold the cores; passive waiting
/// sleeps instead. Measured on the 2-core VM (docs/benchmarks.md): on a quiet machine the demo config trains at 2.56
/// steps/s with active, 2.22 with the runtime's default (spin a while, then sleep) and 1.41 with passive; beside busy
/// processes passive is 3-9x faster than active. No single setting wins both, and a load average read at start is
/// fooled by the build that just ran, so the CLI keeps the runtime's default and leaves the choice to the user
/// (<c>OMP_WAIT_POLICY=passive</c> on shared nodes); the start event records the policy in effect.
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's copy of the environment, so
/// <see cref="Set"/> calls libc's setenv, and must run before the first torch call.
/// </summary>
public static partial class OpenMpPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>Sets the policy for this process (native and .NET environment) before torch loads, e.g. when embedding
    /// the library on a shared node; the user's own setting is kept.</summary>
    public static void Set(string policy)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) SetEnv(Variable, policy, 0);
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) Environment.SetEnvironmentVariable(Variable, policy);
    }

    /// <summary>What the OpenMP runtime saw (the native environment).</summary>
    public static string? Native() => Marshal.PtrToStringUTF8(GetEnv(Variable));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);
}
