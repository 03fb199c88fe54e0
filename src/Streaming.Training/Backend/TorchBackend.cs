using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Streaming.Training.Backend;

/// <summary>
/// Which libtorch TorchSharp binds to. The packaged build (default, <c>-p:TorchBackend=cpu</c>) uses the
/// libtorch-cpu-linux-x64 package next to the app, as TorchSharp does by itself. The <c>external</c> build
/// (<c>-p:TorchBackend=external</c>) ships no libtorch: before the first torch call it finds one through
/// <c>STREAMING_LIBTORCH</c> (a lib folder, or <c>auto</c> = the torch package of <c>python3</c>; unset means auto),
/// checks that every libtorch symbol of TorchSharp's native glue resolves there (<see cref="GlueSymbolCheck"/>),
/// then preloads libc10, libtorch_cpu, libc10_cuda, libtorch_cuda and libtorch by full path and answers TorchSharp's
/// own native-library requests with those handles, so the packaged copy (if any) is never loaded. A packaged build
/// honours <c>STREAMING_LIBTORCH</c> the same way when it is set.
/// </summary>
/// <remarks>
/// The glue is the first of: <c>STREAMING_TORCHSHARP_GLUE</c> (a file), <c>glue/libLibTorchSharp.so</c> next to the
/// app (where <c>scripts/gpu/rebuild-glue.sh</c> installs a glue rebuilt against the outside libtorch), the packaged one.
/// </remarks>
public static class TorchBackend
{
#if TORCH_EXTERNAL
    /// <summary>True in a <c>-p:TorchBackend=external</c> build (no libtorch package).</summary>
    public const bool ExternalBuild = true;
#else
    public const bool ExternalBuild = false;
#endif

    public const string LibtorchVariable = "STREAMING_LIBTORCH";
    public const string GlueVariable = "STREAMING_TORCHSHARP_GLUE";
    public const string GlueFileName = "libLibTorchSharp.so";
    /// <summary>Folder next to the app where a rebuilt glue is looked for first.</summary>
    public const string RebuiltGlueFolder = "glue";

    private static readonly Lock Gate = new();
    private static bool Registered, Loaded;
    private static TorchBackendException? Failure;
    private static string? FailedSetting;
    private static readonly Dictionary<string, IntPtr> Handles = new(StringComparer.Ordinal);

    /// <summary>What was loaded (null before <see cref="EnsureLoaded"/> or in the packaged mode).</summary>
    public static BackendInfo? Info { get; private set; }

    /// <summary>
    /// Installs the native-library resolver on TorchSharp's assembly and, when an outside libtorch is configured,
    /// loads it. Runs from module initializers, i.e. before any code of an assembly that uses torch: TorchSharp's own
    /// start-up (the torch class's static constructor) loads "torch_cpu" and "LibTorchSharp" by name through
    /// NativeLibrary.TryLoad, which does not consult the resolver, and finds the libraries preloaded here by their
    /// sonames. A failure is kept and thrown, with its message, by <see cref="EnsureLoaded"/> at the next gate
    /// (the CLI before a torch command, DeviceSpec.Open), never from the initializer.
    /// </summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (Registered) return;
            Registered = true;
            NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly, Resolve);
        }
        try { EnsureLoaded(); }
        catch (TorchBackendException) { } // kept in `Failure`
    }

    /// <summary>The <c>STREAMING_LIBTORCH</c> setting in force, or null for the packaged libtorch.</summary>
    public static string? Setting()
    {
        var v = Environment.GetEnvironmentVariable(LibtorchVariable);
        if (!string.IsNullOrWhiteSpace(v)) return v.Trim();
        return ExternalBuild ? "auto" : null;
    }

    /// <summary>
    /// Finds, checks and preloads the outside libtorch once (a no-op for the packaged libtorch). Throws
    /// <see cref="TorchBackendException"/> with the reason and the fix; later calls throw the same exception.
    /// </summary>
    public static void EnsureLoaded()
    {
        Register();
        lock (Gate)
        {
            if (Loaded) return;
            var setting = Setting();
            // A failure is final for its setting; `torch check --libtorch X` changes the setting after the eager attempt.
            if (Failure is not null && FailedSetting == setting) throw Failure;
            if (setting is null) { Loaded = true; return; }
            try { Load(setting); Loaded = true; Failure = null; }
            catch (TorchBackendException e) { Failure = e; FailedSetting = setting; throw; }
        }
    }

    /// <summary>One line for logs: which libtorch and glue are in use.</summary>
    public static string Describe() => Info?.ToString() ?? (Setting() is null ? "packaged libtorch (libtorch-cpu-linux-x64 next to the app)" : "outside libtorch not loaded yet");

    /// <summary>The glue this process would use, and whether it is the packaged one.</summary>
    public static (string Path, string Kind) FindGlue()
    {
        var explicitGlue = Environment.GetEnvironmentVariable(GlueVariable);
        if (!string.IsNullOrWhiteSpace(explicitGlue))
        {
            if (!File.Exists(explicitGlue)) throw new TorchBackendException($"{GlueVariable}={explicitGlue}: no such file");
            return (Path.GetFullPath(explicitGlue), $"from {GlueVariable}");
        }
        var app = AppContext.BaseDirectory;
        // Only an external build can prefer a rebuilt glue: it keeps the packaged glue out of the places .NET probes
        // (glue/packaged/), so TorchSharp's own load by name finds the glue loaded here by its soname. A packaged
        // build's probing would load the packaged file next to the app whatever was preloaded.
        var rebuilt = Path.Combine(app, RebuiltGlueFolder, GlueFileName);
        if (ExternalBuild && File.Exists(rebuilt)) return (rebuilt, "rebuilt");
        foreach (var packaged in new[] { Path.Combine(app, RebuiltGlueFolder, "packaged", GlueFileName), Path.Combine(app, GlueFileName),
                                         Path.Combine(app, "runtimes", "linux-x64", "native", GlueFileName) })
            if (File.Exists(packaged)) return (packaged, "packaged with TorchSharp 0.107.0");
        throw new TorchBackendException($"TorchSharp's native glue {GlueFileName} is not next to the app ({app}); reinstall the app");
    }

    /// <summary>Checks the glue against the libtorch of <paramref name="setting"/> without loading either.</summary>
    public static (LibtorchLocation Location, string Glue, string GlueKind, GlueCheckReport Report) Check(string setting)
    {
        var location = LibtorchLocation.Resolve(setting);
        var (glue, kind) = FindGlue();
        return (location, glue, kind, GlueSymbolCheck.Run(glue, location.LibDir));
    }

    /// <summary>The message for a failed check: counts, the first few missing symbols, and how to fix it.</summary>
    public static string MismatchMessage(LibtorchLocation location, string glue, string glueKind, GlueCheckReport r, int names = 5)
    {
        var parts = new List<string>();
        if (r.Missing.Count > 0)
        {
            var shown = Demangler.Demangle(r.Missing.Take(names).Select(m => m.Name).ToList());
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{r.Missing.Count:N0} of the {r.Needed:N0} libtorch symbols it imports are missing ({r.MissingAtLoad:N0} needed at load time, {r.Missing.Count - r.MissingAtLoad:N0} at their first call), e.g. ") +
                string.Join("; ", shown.Zip(r.Missing).Select(x => (x.Second.AtLoad ? "[load] " : "") + x.First)));
        }
        foreach (var u in r.Unmatched) parts.Add($"it needs {u.Needed}, which the folder does not provide under that name ({u.Found})");
        var script = RebuildScript();
        return $"libtorch at {location} does not match TorchSharp's native glue {glue} ({glueKind}): {string.Join("; ", parts)}. " +
               $"Fix: rebuild the glue against this libtorch with `{script}` (needs g++ and the torch package's headers; " +
               $"it installs to {Path.Combine(AppContext.BaseDirectory, RebuiltGlueFolder, GlueFileName)}, which is then preferred), " +
               $"or point {LibtorchVariable} at a libtorch 2.10 (the version TorchSharp 0.107.0's glue was built for).";
    }

    private static string RebuildScript()
    {
        var inBundle = Path.Combine(AppContext.BaseDirectory, "gpu", "rebuild-glue.sh");
        return File.Exists(inBundle) ? inBundle : "scripts/gpu/rebuild-glue.sh";
    }

    private static void Load(string setting)
    {
        var clock = Stopwatch.StartNew();
        var (location, glue, kind, report) = Check(setting);
        if (!report.Ok) throw new TorchBackendException(MismatchMessage(location, glue, kind, report));
        string? globalDeps = null;
        var deps = Path.Combine(location.LibDir, LibtorchLocation.GlobalDeps);
        if (File.Exists(deps)) globalDeps = GlobalLoader.Load(deps);
        foreach (var lib in location.Present)
        {
            try { Handles[Path.GetFileName(lib)] = NativeLibrary.Load(lib); }
            catch (DllNotFoundException e) { throw new TorchBackendException($"could not load {lib}: {e.Message}"); }
        }
        try { Handles[GlueFileName] = NativeLibrary.Load(glue); }
        catch (DllNotFoundException e) { throw new TorchBackendException($"could not load TorchSharp's native glue {glue}: {e.Message}"); }
        Info = new BackendInfo(location, glue, kind, report, globalDeps, clock.Elapsed.TotalMilliseconds);
    }

    // TorchSharp asks for "torch_cpu"/"torch_cuda" (by name, as a preload) and "LibTorchSharp" (its P/Invokes).
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string? key = name switch
        {
            "LibTorchSharp" => GlueFileName,
            "torch_cpu" => "libtorch_cpu.so",
            "torch_cuda" => "libtorch_cuda.so",
            _ => null,
        };
        if (key is null) return IntPtr.Zero;
        try { EnsureLoaded(); }
        catch (TorchBackendException e)
        {
            // Reached only when torch is used before an entry point called EnsureLoaded: say why before TorchSharp's
            // own (misleading) "no reference to libtorch-cpu-linux-x64" error.
            Console.Error.WriteLine($"error: {e.Message}");
            return IntPtr.Zero;
        }
        lock (Gate) return Handles.TryGetValue(key, out var h) ? h : IntPtr.Zero;
    }

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The resolver must exist before any torch call of this assembly; it loads nothing.")]
    internal static void RegisterOnLoad() => Register();
}

/// <summary>What <see cref="TorchBackend.EnsureLoaded"/> loaded.</summary>
public sealed record BackendInfo(LibtorchLocation Location, string Glue, string GlueKind, GlueCheckReport Check, string? GlobalDepsNote, double LoadMs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"outside libtorch {Location}; glue {Glue} ({GlueKind}); symbol check: {Check.Summary()}; loaded in {LoadMs:F0} ms{(GlobalDepsNote is null ? "" : "; " + GlobalDepsNote)}");
}
