using System.Diagnostics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Streaming.Training.Backend;

/// <summary>Result of <see cref="BackendProbe.Run"/> (what <c>streaming torch check</c> prints).</summary>
public sealed record BackendProbeReport
{
    public required string Mode { get; init; }
    public string? LibDir { get; init; }
    public string? Source { get; init; }
    public string? TorchVersion { get; init; }
    public string? CudaVersion { get; init; }
    public string? Glue { get; init; }
    public string? GlueKind { get; init; }
    public int SymbolsNeeded { get; init; }
    public int SymbolsNeededAtLoad { get; init; }
    public int Missing { get; init; }
    public int MissingAtLoad { get; init; }
    /// <summary>Missing symbols, demangled where c++filt exists, "[load] " marks load-time ones (first <c>list</c>).</summary>
    public IReadOnlyList<string> MissingNames { get; init; } = [];
    public IReadOnlyList<string> UnmatchedLibraries { get; init; } = [];
    public double CheckMs { get; init; }
    public bool Loaded { get; init; }
    public double LoadMs { get; init; }
    public bool? CudaAvailable { get; init; }
    public int? CudaDevices { get; init; }
    public bool? CudnnAvailable { get; init; }
    /// <summary>A small matmul on <c>device</c> compared with the CPU result.</summary>
    public string? Smoke { get; init; }
    public string? Error { get; init; }
    public bool Ok => Error is null;
}

/// <summary>
/// Checks (and optionally loads and exercises) the libtorch this process would use: the outside one named by a
/// <c>STREAMING_LIBTORCH</c> value, or the packaged one. The symbol check never loads anything, so it works even
/// when loading would kill the process.
/// </summary>
public static class BackendProbe
{
    public static BackendProbeReport Run(string? setting, bool load, string? device = null, int listMissing = 20)
    {
        LibtorchLocation location;
        string glue, kind;
        GlueCheckReport check;
        try
        {
            if (setting is null)
            {
                (glue, kind) = TorchBackend.FindGlue();
                var dir = Path.GetDirectoryName(glue)!;
                location = new LibtorchLocation(dir, "packaged libtorch-cpu-linux-x64", null, null);
                if (!File.Exists(Path.Combine(dir, "libtorch_cpu.so")))
                    return new BackendProbeReport { Mode = "packaged", Glue = glue, GlueKind = kind, Error = $"this build has no libtorch next to the app ({dir}); set {TorchBackend.LibtorchVariable}=DIR or auto" };
                check = GlueSymbolCheck.Run(glue, dir);
            }
            else
            {
                (location, glue, kind, check) = TorchBackend.Check(setting);
            }
        }
        catch (Exception e) when (e is TorchBackendException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new BackendProbeReport { Mode = setting is null ? "packaged" : "external", Error = e.Message };
        }
        var report = new BackendProbeReport
        {
            Mode = setting is null ? "packaged" : "external", LibDir = location.LibDir, Source = location.Source,
            TorchVersion = location.Version, CudaVersion = location.CudaVersion, Glue = glue, GlueKind = kind,
            SymbolsNeeded = check.Needed, SymbolsNeededAtLoad = check.NeededAtLoad, Missing = check.Missing.Count,
            MissingAtLoad = check.MissingAtLoad, CheckMs = check.ElapsedMs,
            MissingNames = Demangler.Demangle(check.Missing.Take(listMissing).Select(m => m.Name).ToList())
                .Zip(check.Missing).Select(x => (x.Second.AtLoad ? "[load] " : "") + x.First).ToList(),
            UnmatchedLibraries = check.Unmatched.Select(u => $"{u.Needed}: {u.Found}").ToList(),
        };
        if (!check.Ok) return report with { Error = TorchBackend.MismatchMessage(location, glue, kind, check) };
        if (!load) return report;

        var clock = Stopwatch.StartNew();
        try { TorchBackend.EnsureLoaded(); }
        catch (TorchBackendException e) { return report with { Error = e.Message }; }
        var loadMs = clock.Elapsed.TotalMilliseconds;
        bool cudaOk = cuda.is_available();
        report = report with
        {
            Loaded = true,
            LoadMs = loadMs,
            CudaAvailable = cudaOk,
            CudaDevices = cudaOk ? cuda.device_count() : 0,
            CudnnAvailable = cudaOk && cuda.is_cudnn_available(),
        };
        var target = device ?? (cudaOk ? "cuda" : "cpu");
        try { return report with { Smoke = Smoke(target) }; }
        catch (Exception e) when (e is InvalidOperationException or ExternalException or ArgumentException)
        {
            return report with { Error = $"a small matmul on {target} failed: {e.Message}" };
        }
    }

    private static string Smoke(string device)
    {
        using var scope = NewDisposeScope();
        var d = Config.DeviceSpec.Open(device);
        var a = arange(0, 64 * 64, dtype: ScalarType.Float32).reshape(64, 64).div_(4096.0);
        var expected = a.matmul(a.t());
        var got = a.to(d).matmul(a.to(d).t()).cpu();
        double err = (got - expected).abs().max().item<float>();
        if (err > 1e-2) throw new InvalidOperationException($"max abs error {err} against the CPU result");
        return $"64x64 matmul on {device}: max abs error {err:G3} against CPU";
    }
}
