using System.Runtime.InteropServices;

namespace Streaming.Training.Loop;

/// <summary>Ends the process at once with an exit code, after flushing the console.</summary>
internal static partial class ProcessExit
{
    /// <summary>
    /// libc's <c>_exit</c>: no atexit handlers and no managed shutdown. The training thread may be inside a libtorch
    /// kernel; <see cref="Environment.Exit"/> would run libtorch's static destructors under it (seen as SIGSEGV at exit).
    /// Every file the run writes is complete or a temp name by then (see <see cref="WriteGate"/>).
    /// </summary>
    public static void Now(int code)
    {
        try { Console.Out.Flush(); Console.Error.Flush(); } catch (IOException) { }
        Exit(code);
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Exit(int code);
}
