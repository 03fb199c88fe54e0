using System.CommandLine;
using System.Globalization;
using Streaming.Cli.Output;
using Streaming.Bench.Ingest;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Ingest.Preprocess;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Bench.Sampling;
using Streaming.Bench;

namespace Streaming.Cli.Commands;

/// <summary>`streaming bench ingest|sample|...`: benchmark tables with ratios against a baseline of the same run.</summary>
public static partial class BenchCommand
{
    public static Command Create()
    {
        var cmd = new Command("bench", CommonOptions.WithExamples("Benchmarks (tables for docs/benchmarks.md; each compares against a baseline measured in the same run)",
            "streaming bench sample --json"));
        cmd.Add(Ingest());
        cmd.Add(Sample());
        foreach (var c in Extra()) cmd.Add(c);
        foreach (var c in Kernels()) cmd.Add(c);
        return cmd;
    }

    private static Command Ingest()
    {
        var work = new Option<string>("--work") { Description = "Scratch folder (sources, caches); removed afterwards unless --keep", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "streaming-bench-ingest") };
        var volumes = new Option<int>("--volumes") { Description = "Volumes in the peak-memory run", DefaultValueFactory = _ => 200 };
        var distinct = new Option<int>("--distinct") { Description = "Distinct CT-sized source files", DefaultValueFactory = _ => 3 };
        var shape = new Option<string>("--shape") { Description = "Source shape x,y,z", DefaultValueFactory = _ => "512,512,300" };
        var spec = new Option<string>("--spec") { Description = "Preprocessing spec the ingest runs use", DefaultValueFactory = _ => CommonOptions.Pipelines("ct-1x1x2.yaml") };
        var keep = new Option<bool>("--keep") { Description = "Keep the scratch folder afterwards" };
        var profileOnly = new Option<bool>("--profile-only") { Description = "Only the sequential per-stage profile (CPU ms and MB allocated per volume): seconds, not minutes" };
        var json = CommonOptions.Json();
        var c = new Command("ingest", CommonOptions.WithExamples("Full ingest vs read-only per volume, throughput (1, 2 workers), peak memory, shard size, patch read",
            "streaming bench ingest --volumes 50 --shape 256,256,120 --json")) { work, volumes, distinct, shape, spec, keep, profileOnly, json };
        c.SetAction(r =>
        {
            var dir = Path.GetFullPath(r.GetValue(work)!);
            var s = r.GetValue(shape)!.Split(',').Select(int.Parse).ToArray();
            Directory.CreateDirectory(Path.Combine(dir, "sources"));
            var sources = new List<string>();
            for (var i = 0; i < r.GetValue(distinct); i++)
            {
                var path = Path.Combine(dir, "sources", $"ct{i}.nii.gz");
                if (!File.Exists(path))
                {
                    Log.Info($"writing source {path}");
                    BenchSources.WriteCt(path, new Int3(s[0], s[1], s[2]), i);
                }
                sources.Add(path);
            }
            if (r.GetValue(profileOnly))
            {
                var costs = IngestStageProfile.Run(sources, SpecLoader.Load(r.GetValue(spec)!), dir, rounds: 3);
                Console.Out.WriteLine("| stage | wall ms/volume | CPU ms/volume | MB allocated/volume |\n|---|---:|---:|---:|");
                foreach (var k in costs)
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {k.Stage} | {k.WallMs:F0} | {(double.IsNaN(k.CpuMs) ? "" : k.CpuMs.ToString("F0", CultureInfo.InvariantCulture))} | {(double.IsNaN(k.AllocatedMb) ? "" : k.AllocatedMb.ToString("F0", CultureInfo.InvariantCulture))} |"));
                return 0;
            }
            var rows = IngestBench.Run(new IngestBenchOptions
            {
                Sources = sources, WorkDir = dir, Spec = SpecLoader.Load(r.GetValue(spec)!), MemoryRunVolumes = r.GetValue(volumes),
            }, Log.Info);
            Console.Out.WriteLine(BenchTable.ToMarkdown(rows));
            if (!r.GetValue(keep)) foreach (var d in Directory.GetDirectories(dir).Where(d => !d.EndsWith("sources"))) Directory.Delete(d, true);
            if (r.GetValue(json)) JsonSummary.Write(new { command = "bench ingest", ok = true, rows });
            return 0;
        });
        return c;
    }

    private static Command Sample()
    {
        var volumes = new Option<int>("--volumes") { Description = "Phantom volumes in the benchmark cache", DefaultValueFactory = _ => 6 };
        var steps = new Option<int>("--steps") { Description = "Batches timed per configuration", DefaultValueFactory = _ => 6 };
        var workers = new Option<int>("--workers") { Description = "Prefetch workers of the parallel run", DefaultValueFactory = _ => 2 };
        var json = CommonOptions.Json();
        var c = new Command("sample", CommonOptions.WithExamples("vox2vec batches/s per core and with N workers, decoded bytes per patch, simulated consumers",
            "streaming bench sample --volumes 6 --steps 6 --workers 2")) { volumes, steps, workers, json };
        c.SetAction(r =>
        {
            var report = SamplingBench.Run(new SamplingBenchOptions { Volumes = r.GetValue(volumes), Steps = r.GetValue(steps), Workers = r.GetValue(workers) }, Console.Error);
            Console.Out.WriteLine(report.ToTable());
            if (r.GetValue(json)) JsonSummary.Write(new { command = "bench sample", ok = true, report.Setup, report.Rows });
            return 0;
        });
        return c;
    }
}
