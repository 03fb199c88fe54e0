using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Synth;

namespace Streaming.Cli.Commands;

/// <summary>`streaming synth`: labeled CT/MRI torso phantoms laid out like FLARE, AMOS or NLST (the embedded default dataset).</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder (the archive root)", Required = true };
        var count = new Option<int>("--count") { Description = "Cases to generate", DefaultValueFactory = _ => 10 };
        var seed = new Option<long>("--seed") { Description = "Same seed, same bytes", DefaultValueFactory = _ => 1 };
        var modality = Choice.Of("--modality", "Modality of the cases; mixed: AMOS ids >= 500 are MR", SynthModality.Ct);
        var layout = Choice.Of("--layout", "Archive layout written (the one ingest --source reads)", SynthLayout.Flare);
        var size = Choice.Of("--size", "small (tests, CPU demo), medium, full (512x512, 80-600 slices)", SynthSize.Small);
        var corrupt = new Option<bool>("--corrupt") { Description = "Also write the broken inputs ingest must survive, listed in corrupt-manifest.json" };
        var workers = new Renamed<int>(new Option<int>("--workers") { Description = "Cases generated at once", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) }, "--parallel");
        var fov = Choice.Of<Streaming.Synth.Anatomy.FieldOfView>("--fov", "Field of view of every case (default: drawn per case)");
        var fixedFov = new Option<bool>("--fixed-fov") { Description = "Every scan covers exactly the nominal z range of its field of view (--fov; abdomen by default)" };
        var gzip = new Option<int>("--gzip-level") { Description = "gzip level of the .nii.gz files (0-9)", DefaultValueFactory = _ => 1 };
        var contrast = Choice.Of("--contrast", "CT contrast phase: drawn per case (70 % venous), plain or venous for every case (MR ignores it; NLST is plain)", SynthContrast.Drawn);
        var clean = new Option<bool>("--clean") { Description = "Remove earlier cases of the layout's folder first" };
        var json = CommonOptions.Json();
        var c = new Command("synth", CommonOptions.WithExamples("Generate labeled CT/MRI phantoms in the archive layouts ingest reads",
            "streaming synth --out data --layout flare --count 16 --size small"))
            { output, count, seed, modality, layout, size, corrupt, fov, fixedFov, contrast, gzip, clean, json };
        workers.AddTo(c);
        c.SetAction((r, ct) =>
        {
            var o = new SynthOptions
            {
                OutputDir = Path.GetFullPath(r.GetValue(output)!), Count = r.GetValue(count), Seed = r.GetValue(seed),
                Modality = r.GetValue(modality) ?? SynthModality.Ct, Layout = r.GetValue(layout) ?? SynthLayout.Flare, Size = r.GetValue(size) ?? SynthSize.Small,
                Corrupt = r.GetValue(corrupt), Parallelism = workers.Get(r), FieldOfView = r.GetValue(fov), FixedFieldOfView = r.GetValue(fixedFov),
                CompressionLevel = r.GetValue(gzip), Clean = r.GetValue(clean), Contrast = r.GetValue(contrast) ?? SynthContrast.Drawn,
            };
            try { o.Validate(); }
            catch (ArgumentException e) { Log.Error(e.Message); return Task.FromResult(1); }
            Log.Info($"synth: {o.Count} {o.Modality} {o.Size} cases, layout {o.Layout}, seed {o.Seed} → {o.OutputDir}");
            var last = DateTime.MinValue;
            var report = SynthRunner.Run(o, new Progress<SynthProgress>(p =>
            {
                if (p.Done != p.Total && DateTime.UtcNow - last < TimeSpan.FromSeconds(5)) return;
                last = DateTime.UtcNow;
                Log.Info($"synth: {p.Done}/{p.Total} ({p.CaseId})");
            }), ct);
            Log.Info($"synth: {report.Cases.Count} cases in {report.Seconds:F1} s ({report.CasesPerMinute:F1}/min){(report.Faults.Count > 0 ? $", {report.Faults.Count} corrupt inputs ({report.ManifestPath})" : "")}");
            if (r.GetValue(json))
                JsonSummary.Write(new { command = "synth", ok = true, output = o.OutputDir, cases = report.Cases.Count, faults = report.Faults.Count, seconds = report.Seconds, manifest = report.ManifestPath });
            return Task.FromResult(0);
        });
        return c;
    }
}
