using System.Runtime.InteropServices;

namespace Streaming.Cli.Tests.Faults;

/// <summary>Sends a signal straight from the test process (kill(2)): no shell to start, so the signal lands within
/// microseconds of the moment the test chose, even on a loaded machine.</summary>
internal static class PosixSignal
{
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Sends SIGINT or SIGTERM; false when the process is already gone.</summary>
    public static bool Send(int pid, string name) => Kill(pid, name switch
    {
        "INT" => 2,
        "TERM" => 15,
        _ => throw new ArgumentException($"unsupported signal {name}"),
    }) == 0;
}
