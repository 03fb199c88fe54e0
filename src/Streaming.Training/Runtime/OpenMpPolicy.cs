using System.Runtime.InteropServices;

namespace Streaming.Training.Runtime;

/// <summary>
/// libtorch's OpenMP runtime (libgomp) reads <c>OMP_WAIT_POLICY</c> once, when it is loaded. With the default
/// (active), idle threads spin at every barrier; when other processes hold the cores, the spinning threads steal the
/// time the working ones need. Passive waiting sleeps instead. <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only .NET's copy of the environment, so this calls libc's setenv, and must run before the first torch call.
/// </summary>
public static partial class OpenMpPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>Sets OMP_WAIT_POLICY=passive unless the user set it. Returns the value in effect.</summary>
    public static string EnsurePassive()
    {
        var current = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(current)) return current;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) SetEnv(Variable, "passive", 0);
        Environment.SetEnvironmentVariable(Variable, "passive");
        return "passive";
    }

    /// <summary>What the OpenMP runtime saw (the native environment).</summary>
    public static string? Native() => Marshal.PtrToStringUTF8(GetEnv(Variable));

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);
}
