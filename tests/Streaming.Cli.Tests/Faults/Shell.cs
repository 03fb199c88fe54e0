using System.Diagnostics;

namespace Streaming.Cli.Tests.Faults;

/// <summary>Runs a /bin/sh script for what .NET cannot do (non-UTF-8 names, mounts, dropping privileges).</summary>
internal static class Shell
{
    public static (int Exit, string Output) Try(string script, int timeoutSeconds = 120)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds))) { p.Kill(true); throw new TimeoutException(script); }
        return (p.ExitCode, output.Result + error.Result);
    }

    public static string Run(string script)
    {
        var (exit, output) = Try(script);
        if (exit != 0) throw new InvalidOperationException($"`{script}` failed ({exit}): {output}");
        return output;
    }
}
