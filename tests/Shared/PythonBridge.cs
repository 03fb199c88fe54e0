using System.Collections.Concurrent;
using System.Diagnostics;

namespace Streaming.Tests;

/// <summary>
/// Runs checker scripts of the Python bridge (python/) with Debian's python3, which scripts/setup.sh provides with
/// numpy, zstandard and torch (the `python3` on PATH may be another one without them; STREAMING_PYTHON overrides).
/// </summary>
public static class PythonBridge
{
    public static string Executable => Environment.GetEnvironmentVariable("STREAMING_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    private static readonly ConcurrentDictionary<string, string?> Missing = new();

    /// <summary>Null when the interpreter imports every module, else why not (for a skip message).</summary>
    public static string? MissingReason(params string[] modules) => Missing.GetOrAdd(string.Join(",", modules), key =>
    {
        if (!File.Exists(Executable)) return $"{Executable} not found (scripts/setup.sh installs Debian's python3 packages); skipped";
        try
        {
            var (exit, _, err) = Run(["-c", string.Join(";", modules.Select(m => "import " + m))], TimeSpan.FromMinutes(2));
            return exit == 0 ? null : $"{Executable} cannot import {key} ({err.Trim().Split('\n')[^1]}); scripts/setup.sh installs python3-{string.Join(", python3-", modules)}; skipped";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return $"{Executable} does not run ({e.Message}); skipped";
        }
    });

    /// <summary>Runs python/&lt;script&gt; from the repository root with python/ on PYTHONPATH.</summary>
    public static (int Exit, string Stdout, string Stderr) RunScript(string script, params string[] args) =>
        Run([Path.Combine(SharedData.RepoRoot(), "python", script), .. args], TimeSpan.FromMinutes(5));

    private static (int Exit, string Stdout, string Stderr) Run(string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SharedData.RepoRoot() };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONPATH"] = Path.Combine(SharedData.RepoRoot(), "python");
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        psi.Environment["OMP_NUM_THREADS"] = "1";   // a checker must not oversubscribe the test run's cores
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout)) { p.Kill(true); throw new TimeoutException($"{Executable} {string.Join(' ', args)}"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A fact skipped, with the reason, when Debian's python3 lacks one of the modules.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute(params string[] modules) { if (PythonBridge.MissingReason(modules) is { } why) Skip = why; }
}

/// <summary>A theory skipped, with the reason, when Debian's python3 lacks one of the modules.</summary>
public sealed class PythonTheoryAttribute : TheoryAttribute
{
    public PythonTheoryAttribute(params string[] modules) { if (PythonBridge.MissingReason(modules) is { } why) Skip = why; }
}
