namespace Streaming.Cli.Output;

/// <summary>Human-readable lines go to stderr so stdout stays clean for --json.</summary>
public static class Log
{
    public static bool Interactive => !Console.IsErrorRedirected && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;

    public static void Info(string line) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");

    public static void Error(string line) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} error: {line}");

    public static string Bytes(long b) => b switch
    {
        >= 1L << 30 => $"{b / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{b / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{b / 1024.0:F1} KiB",
        _ => $"{b} B",
    };
}
