using System.Diagnostics;
using System.Text.Json;

namespace Streaming.Cli.Tests;

/// <summary>Runs the built `streaming` CLI as a child process (as users and schedulers do).</summary>
internal static class CliRunner
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "streaming.dll");

    public static Process Start(params string[] args) => Start(null, args);

    /// <summary>With extra environment variables (null removes one).</summary>
    public static Process Start(IReadOnlyDictionary<string, string?>? env, params string[] args)
    {
        var psi = new ProcessStartInfo(InheritsIgnoredInterrupt ? "/usr/bin/env" : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Streaming.Tests.SharedData.RepoRoot(),
        };
        if (InheritsIgnoredInterrupt) { psi.ArgumentList.Add("--default-signal=INT"); psi.ArgumentList.Add("dotnet"); }
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "1";
        psi.Environment.Remove("STREAMING_CACHE"); // the developer's own cache must not leak into a test
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
            if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    /// <summary>
    /// True when this test process was started with SIGINT ignored (a shell's background job: `test.sh &`, nohup).
    /// Children inherit SIG_IGN and .NET then leaves SIGINT alone, so the signal tests would see nothing happen;
    /// such runs start the CLI through coreutils' env with SIGINT reset to its default, as in a foreground run.
    /// </summary>
    private static readonly bool InheritsIgnoredInterrupt = File.ReadLines("/proc/self/status")
        .FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
        && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << 1)) != 0; // bit n-1 for signal n; SIGINT = 2

    public static (int Exit, string Stdout, string Stderr) Run(params string[] args) => Run(null, args);

    /// <summary>Runs with extra environment variables (null removes one).</summary>
    public static (int Exit, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string?>? env, params string[] args)
    {
        using var p = Start(env, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new TimeoutException("streaming " + string.Join(' ', args)); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The last stdout line, parsed: the --json summary.</summary>
    public static JsonElement Summary(string stdout) =>
        JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;

    /// <summary>
    /// Runs a check in Debian's python3 (where python3-torch / python3-nibabel live); the script prints "skip" when its
    /// module is missing. Null when there is no /usr/bin/python3.
    /// </summary>
    public static (int Exit, string Output)? Python(string script, params string[] args)
    {
        if (!File.Exists("/usr/bin/python3")) return null;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
