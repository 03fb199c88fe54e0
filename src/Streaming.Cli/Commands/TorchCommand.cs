using System.CommandLine;
using System.Globalization;
using Streaming.Cli.Output;
using Streaming.Training.Backend;

namespace Streaming.Cli.Commands;

/// <summary>`streaming torch check`: which libtorch and native glue this app would use, and whether they match.</summary>
public static class TorchCommand
{
    public static Command Create()
    {
        var cmd = new Command("torch", CommonOptions.WithExamples("The libtorch this app uses (packaged, or outside through STREAMING_LIBTORCH)",
            "streaming torch check --libtorch auto --load"));
        cmd.Add(Check());
        return cmd;
    }

    private static Command Check()
    {
        var libtorch = new Option<string?>("--libtorch") { Description = "A libtorch lib folder or auto (the torch of python3); default: $STREAMING_LIBTORCH, else the packaged libtorch" };
        var load = new Option<bool>("--load") { Description = "Also load it, report CUDA, and run a small matmul" };
        var device = new Option<string?>("--device") { Description = "Device for the --load matmul (default: cuda when available)" };
        var list = new Option<int>("--list") { Description = "Missing symbols to list", DefaultValueFactory = _ => 20 };
        var json = CommonOptions.Json();
        var c = new Command("check", CommonOptions.WithExamples("Check, without loading it, that every libtorch symbol TorchSharp's native glue imports resolves in that libtorch",
            "streaming torch check", "STREAMING_LIBTORCH=/opt/torch/lib streaming torch check --load --device cuda")) { libtorch, load, device, list, json };
        c.SetAction(r =>
        {
            if (r.GetValue(libtorch) is { Length: > 0 } l) Environment.SetEnvironmentVariable(TorchBackend.LibtorchVariable, l);
            var report = BackendProbe.Run(TorchBackend.Setting(), r.GetValue(load), r.GetValue(device), r.GetValue(list));
            foreach (var line in Lines(report)) Log.Info("torch: " + line);
            if (report.Error is not null) Log.Error(report.Error);
            if (r.GetValue(json)) JsonSummary.Write(new { command = "torch check", ok = report.Ok, report });
            return report.Ok ? 0 : 1;
        });
        return c;
    }

    private static IEnumerable<string> Lines(BackendProbeReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        yield return $"mode {r.Mode}" + (r.LibDir is null ? "" : $", libtorch {r.LibDir} ({r.Source}; torch {r.TorchVersion ?? "version unknown"}{(r.CudaVersion is null ? "" : ", CUDA " + r.CudaVersion)})");
        if (r.Glue is not null) yield return $"glue {r.Glue} ({r.GlueKind})";
        if (r.SymbolsNeeded > 0)
            yield return string.Create(inv, $"symbols: {r.SymbolsNeeded:N0} libtorch symbols needed ({r.SymbolsNeededAtLoad:N0} at load), {r.Missing:N0} missing ({r.MissingAtLoad:N0} at load, {r.Missing - r.MissingAtLoad:N0} at first call); checked in {r.CheckMs:F0} ms");
        foreach (var u in r.UnmatchedLibraries) yield return "library not matched: " + u;
        foreach (var m in r.MissingNames) yield return "  missing: " + m;
        if (r.Loaded)
            yield return string.Create(inv, $"loaded in {r.LoadMs:F0} ms; CUDA available: {r.CudaAvailable}, devices: {r.CudaDevices}, cuDNN: {r.CudnnAvailable}");
        if (r.Smoke is not null) yield return r.Smoke;
    }
}
