using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Streaming.Training.Backend;

/// <summary>
/// Where an outside libtorch lives: the folder holding libc10.so and libtorch_cpu.so (and, for a CUDA build,
/// libc10_cuda.so and libtorch_cuda.so), how it was found, and the torch version when the folder belongs to a Python
/// torch package (read from its <c>version.py</c>, never by importing torch).
/// </summary>
public sealed partial record LibtorchLocation(string LibDir, string Source, string? Version, string? CudaVersion)
{
    /// <summary>The libraries preloaded by full path, in dependency order; the first two are required.</summary>
    public static readonly string[] Libraries = ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];

    /// <summary>Loaded with RTLD_GLOBAL first when present, as <c>import torch</c> does (it pulls in the CUDA runtime libraries).</summary>
    public const string GlobalDeps = "libtorch_global_deps.so";

    /// <summary>The libraries of <see cref="Libraries"/> present in <see cref="LibDir"/>, as full paths.</summary>
    public IReadOnlyList<string> Present => Libraries.Select(l => System.IO.Path.Combine(LibDir, l)).Where(File.Exists).ToList();

    public bool HasCuda => File.Exists(System.IO.Path.Combine(LibDir, "libtorch_cuda.so"));

    public override string ToString() =>
        $"{LibDir} ({(Version is null ? "torch version unknown" : "torch " + Version)}{(HasCuda ? ", CUDA " + (CudaVersion ?? "?") : ", CPU only")}; {Source})";

    /// <summary>
    /// Resolves a <c>STREAMING_LIBTORCH</c> value: <c>auto</c> asks <paramref name="python"/> (default: $STREAMING_PYTHON,
    /// else <c>python3</c> on the PATH) where its <c>torch</c> package is; anything else is a folder (the lib folder, or
    /// the torch package folder that holds lib/).
    /// </summary>
    public static LibtorchLocation Resolve(string setting, string? python = null)
    {
        if (string.IsNullOrWhiteSpace(setting)) throw new TorchBackendException("STREAMING_LIBTORCH is empty: set it to a libtorch lib folder or to auto");
        if (setting.Trim() == "auto") return FromPython(python ?? Environment.GetEnvironmentVariable("STREAMING_PYTHON") ?? "python3");
        return FromDirectory(setting.Trim(), $"STREAMING_LIBTORCH={setting.Trim()}");
    }

    public static LibtorchLocation FromDirectory(string dir, string source)
    {
        var full = System.IO.Path.GetFullPath(dir);
        if (!Directory.Exists(full)) throw new TorchBackendException($"{source}: folder {full} does not exist");
        if (!File.Exists(System.IO.Path.Combine(full, "libtorch_cpu.so")) && File.Exists(System.IO.Path.Combine(full, "lib", "libtorch_cpu.so")))
            full = System.IO.Path.Combine(full, "lib");
        foreach (var required in Libraries.Take(2))
            if (!File.Exists(System.IO.Path.Combine(full, required)))
                throw new TorchBackendException($"{source}: {full} has no {required} (expected the lib folder of a libtorch, e.g. .../site-packages/torch/lib)");
        var (version, cuda) = ReadVersion(System.IO.Path.GetDirectoryName(full)!);
        return new LibtorchLocation(full, source, version, cuda);
    }

    private static LibtorchLocation FromPython(string python)
    {
        // find_spec locates the package without importing it: no CUDA initialisation, no stray output, ~50 ms.
        const string probe = "import importlib.util, os\ns = importlib.util.find_spec('torch')\n" +
                             "print('STREAMING-TORCH=' + (os.path.dirname(s.origin) if s and s.origin else ''))";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(probe);
        string stdout, stderr;
        try
        {
            using var p = Process.Start(psi) ?? throw new TorchBackendException($"STREAMING_LIBTORCH=auto: could not start {python}");
            var err = p.StandardError.ReadToEndAsync();
            stdout = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(30_000)) { p.Kill(); throw new TorchBackendException($"STREAMING_LIBTORCH=auto: {python} did not answer within 30 s"); }
            stderr = err.Result;
        }
        catch (Win32Exception)
        {
            throw new TorchBackendException($"STREAMING_LIBTORCH=auto: {python} not found; install Python with PyTorch, set STREAMING_PYTHON to a python that has torch, or set STREAMING_LIBTORCH to a libtorch lib folder");
        }
        var line = stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("STREAMING-TORCH=", StringComparison.Ordinal));
        if (line is null)
            throw new TorchBackendException($"STREAMING_LIBTORCH=auto: {python} failed: {FirstLine(stderr)}");
        var package = line["STREAMING-TORCH=".Length..];
        if (package.Length == 0)
            throw new TorchBackendException($"STREAMING_LIBTORCH=auto: {python} has no torch package; install PyTorch for it, set STREAMING_PYTHON to a python that has torch, or set STREAMING_LIBTORCH to a libtorch lib folder");
        return FromDirectory(System.IO.Path.Combine(package, "lib"), $"auto: the torch package of {python}");
    }

    private static string FirstLine(string s) =>
        s.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "no output";

    [GeneratedRegex(@"^__version__\s*=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^cuda\s*(?::\s*[^=]+)?=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex CudaLine();

    /// <summary>torch/version.py of a Python torch package (next to lib/); nulls for a plain libtorch.</summary>
    private static (string?, string?) ReadVersion(string packageDir)
    {
        var file = System.IO.Path.Combine(packageDir, "version.py");
        if (!File.Exists(file)) return (null, null);
        var text = File.ReadAllText(file);
        var v = VersionLine().Match(text);
        var c = CudaLine().Match(text);
        return (v.Success ? v.Groups[1].Value : null, c.Success ? c.Groups[1].Value : null);
    }
}

/// <summary>The outside libtorch cannot be used (not found, or it does not match TorchSharp's native glue).</summary>
public sealed class TorchBackendException(string message) : InvalidOperationException(message);
