using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Ingest.Pipeline;
using Streaming.Ingest.Read.Archives;
using Streaming.Shards.Specs;

namespace Streaming.Cli.Commands;

/// <summary>`streaming ingest`: archives → preprocessed shard cache (skips what is done; resumes after a kill).</summary>
public static class IngestCommand
{
    public static Command Create()
    {
        var spec = new Option<string>("--spec") { Description = "Preprocessing spec (pipelines/*.yaml)", DefaultValueFactory = _ => "pipelines/ct-1x1x2.yaml" };
        var sources = new Option<string[]>("--source")
        {
            Description = "Archive as LAYOUT[:DATASET]=PATH (layouts: auto, flare, amos, nlst, glob; glob takes a pattern, e.g. glob=/data/**/*.nii.gz); repeatable",
            Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var cache = CommonOptions.Cache();
        var workers = new Option<int>("--workers") { Description = "Volumes read and preprocessed in parallel", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var partition = new Option<string>("--partition") { Description = "Process the deterministic share i/N of the inputs (0-based; e.g. $SLURM_ARRAY_TASK_ID/$N)", DefaultValueFactory = _ => "0/1" };
        var force = new Option<bool>("--force") { Description = "Re-ingest volumes that are already in the cache" };
        var json = CommonOptions.Json();
        var cmd = new Command("ingest", "Stream NIfTI/DICOM archives into the preprocessed, content-addressed shard cache") { spec, sources, cache, workers, partition, force, json };
        var rejectIrregular = new Option<bool>("--reject-irregular-slices") { Description = "Refuse tilted or unevenly spaced DICOM stacks instead of resampling them onto a regular grid" };
        var inProcess = new Option<bool>("--dicom-in-process") { Description = "Run GDCM inside this process (measurement only: a GDCM assertion then ends the run)", Hidden = true };
        cmd.Add(rejectIrregular);
        cmd.Add(inProcess);
        cmd.SetAction(async (r, ct) =>
        {
            var o = new IngestOptions
            {
                Sources = r.GetValue(sources)!.Select(ArchiveSource.Parse).ToList(),
                CacheRoot = Path.GetFullPath(r.GetValue(cache)!),
                Spec = SpecLoader.Load(r.GetValue(spec)!),
                Pipeline = new IngestPipelineOptions { Workers = r.GetValue(workers), Partition = Partition.Parse(r.GetValue(partition)!), Force = r.GetValue(force) },
                SliceGrid = r.GetValue(rejectIrregular) ? SliceGridOptions.RejectIrregular : SliceGridOptions.Default,
                IsolateDicom = !r.GetValue(inProcess),
            };
            o.Validate();
            Log.Info($"ingest: spec {o.Spec.Name} → {o.CacheRoot}, {o.Pipeline.Workers} workers, partition {o.Pipeline.Partition}");
            using var stop = new IngestStop();
            stop.Stopping += m => Log.Info("ingest: " + m);
            var s = await IngestProgressDisplay.Run("ingest", p => IngestRunner.RunAsync(o, p, stop, ct));
            Report(s, o);
            if (r.GetValue(json))
                JsonSummary.Write(new
                {
                    command = "ingest", ok = s.ExitCode == 0, exitCode = s.ExitCode, spec = o.Spec.Name, cache = o.CacheRoot, partition = o.Pipeline.Partition.ToString(),
                    s.Discovered, s.Skipped, s.Done, s.Failed, s.OtherPartitions, s.Interrupted, s.Abandoned, error = s.Fatal,
                    elapsedSeconds = s.Elapsed.TotalSeconds, sourceMB = s.SourceBytesRead / 1e6, stageSeconds = s.StageSeconds,
                    failures = s.Failures.Select(f => new { f.Path, f.Stage, f.Reason }),
                    notes = s.Notes.Select(f => new { f.Path, f.Stage, f.Reason }),
                });
            return s.ExitCode;
        });
        return cmd;
    }

    private static void Report(IngestSummary s, IngestOptions o)
    {
        var mbps = s.Elapsed.TotalSeconds > 0 ? s.SourceBytesRead / 1e6 / s.Elapsed.TotalSeconds : 0;
        Log.Info($"ingest: {s.Done} ingested, {s.Skipped} already cached/skipped, {s.Failed} failed, {s.OtherPartitions} in other partitions; " +
                 $"{s.SourceBytesRead / 1e6:F1} MB read in {s.Elapsed.TotalSeconds:F1} s ({mbps:F1} MB/s)");
        foreach (var (stage, sec) in s.StageSeconds.OrderBy(k => k.Key)) Log.Info($"  {stage,-11} {sec,8:F2} s (summed over workers)");
        foreach (var n in s.Notes) Log.Info($"note: {n}");
        foreach (var f in s.Failures) Log.Error(f.ToString());
        if (s.Failed > 0) Log.Info($"failures are listed in {Path.Combine(o.CacheRoot, "<key>", "failures")}; exit code 2 means some inputs failed, the rest is cached");
        if (s.Interrupted is { } why)
            Log.Info($"ingest: interrupted by {why}: in-flight volumes {(s.Abandoned ? "abandoned" : "finished")}, nothing half-written; run the same command again to continue (exit code 3)");
        if (s.Fatal is { } fatal) Log.Error(fatal);
    }
}
