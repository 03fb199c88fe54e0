using System.ComponentModel;
using System.Diagnostics;

namespace Streaming.Training.Backend;

/// <summary>
/// C++ names for messages through binutils' <c>c++filt</c> when it is installed (it is wherever g++ is, i.e. wherever
/// the glue can be rebuilt); the mangled names otherwise. Writing an Itanium demangler for error messages is not
/// worth its size.
/// </summary>
public static class Demangler
{
    public static IReadOnlyList<string> Demangle(IReadOnlyList<string> names)
    {
        if (names.Count == 0) return names;
        try
        {
            var psi = new ProcessStartInfo("c++filt") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return names;
            var output = p.StandardOutput.ReadToEndAsync();
            foreach (var n in names) p.StandardInput.WriteLine(n);
            p.StandardInput.Close();
            if (!p.WaitForExit(10_000)) { p.Kill(); return names; }
            var lines = output.Result.Split('\n');
            return lines.Length >= names.Count && p.ExitCode == 0 ? lines.Take(names.Count).ToList() : names;
        }
        catch (Win32Exception) { return names; }
    }
}
