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
        var spec = new Option<string>("--spec")
        {
            Description = "Preprocessing spec (pipelines/*.yaml; default: this repository's pipelines/ct-1x1x2.yaml). Commands that use a model (embed, evaluate) take the spec from its backbone.json instead",
            DefaultValueFactory = _ => CommonOptions.Pipelines("ct-1x1x2.yaml"),
        };
        var sources = new Option<string[]>("--source")
        {
            Description = "Archive as LAYOUT[:DATASET]=PATH, repeatable. Layouts: auto (detect), flare (nnU-Net style imagesTr/labelsTr; " +
                          "multi-channel cases CASE_0000, CASE_0001 are one case), amos, nlst (patient/study/series DICOM, the largest axial CT series), " +
                          "dicom (every DICOM series below PATH), glob (a pattern, e.g. glob=/data/**/*.nii.gz)",
            Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var cache = CommonOptions.Cache();
        var workers = new Option<int>("--workers") { Description = "Volumes read and preprocessed in parallel", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var partition = new Option<string>("--partition") { Description = "Process the deterministic share i/N of the inputs (0-based; e.g. $SLURM_ARRAY_TASK_ID/$N)", DefaultValueFactory = _ => "0/1" };
        var force = new Option<bool>("--force") { Description = "Re-ingest volumes that are already in the cache" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be ingested and what skipped, and why (stdout); reads no pixels, writes nothing" };
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var rejectIrregular = new Option<bool>("--reject-irregular-slices") { Description = "Refuse tilted or unevenly spaced DICOM stacks instead of resampling them onto a regular grid" };
        var inProcess = new Option<bool>("--dicom-in-process") { Description = "Run GDCM inside this process (measurement only: a GDCM assertion then ends the run)", Hidden = true };
        var cmd = new Command("ingest", CommonOptions.WithExamples("Stream NIfTI/DICOM archives into the preprocessed, content-addressed shard cache",
            "streaming ingest --spec pipelines/ct-1x1x2.yaml --source flare=/data/FLARE22 --source nlst=/data/NLST --cache cache",
            "streaming ingest --source flare=/data/FLARE22 --set targetSpacing=[1.5,1.5,3] --dry-run"))
            { spec, sources, cache, workers, partition, force, rejectIrregular, inProcess, dryRun, set, json };
        cmd.SetAction(async (r, ct) =>
        {
            var o = new IngestOptions
            {
                Sources = r.GetValue(sources)!.Select(ArchiveSource.Parse).ToList(),
                CacheRoot = Path.GetFullPath(r.GetValue(cache)!),
                Spec = SpecLoader.Load(r.GetValue(spec)!, r.GetValue(set)),
                Pipeline = new IngestPipelineOptions { Workers = r.GetValue(workers), Partition = Partition.Parse(r.GetValue(partition)!), Force = r.GetValue(force) },
                SliceGrid = r.GetValue(rejectIrregular) ? SliceGridOptions.RejectIrregular : SliceGridOptions.Default,
                IsolateDicom = !r.GetValue(inProcess),
            };
            // Errors before the run (bad --source, spec, --set) are one line through UserErrors, as any command's.
            if (r.GetValue(dryRun)) return DryRun(o, r.GetValue(json), ct);
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

    /// <summary>The plan as a table on stdout (action, volume id, input, reason), the totals on stderr.</summary>
    private static int DryRun(IngestOptions o, bool json, CancellationToken ct)
    {
        var plan = IngestPlanner.Plan(o, ct);
        var table = json ? Console.Error : Console.Out;
        foreach (var i in plan.Items) table.WriteLine($"{i.Action,-6} {i.VolumeId ?? "-",-32} {i.Path}  ({i.Reason})");
        Log.Info($"ingest --dry-run: {plan.Count(IngestPlanner.Ingest)} would be ingested, {plan.Count(IngestPlanner.Skip)} skipped, " +
                 $"{plan.Count(IngestPlanner.Fail)} would fail; cache key {plan.CacheKey} ({(plan.CacheExists ? "exists" : "new")}) under {o.CacheRoot}; nothing written");
        if (json)
            JsonSummary.Write(new
            {
                command = "ingest", ok = true, dryRun = true, spec = o.Spec.Name, cache = o.CacheRoot, cacheKey = plan.CacheKey, cacheExists = plan.CacheExists,
                wouldIngest = plan.Count(IngestPlanner.Ingest), wouldSkip = plan.Count(IngestPlanner.Skip), wouldFail = plan.Count(IngestPlanner.Fail),
                items = plan.Items.Select(i => new { action = i.Action, volumeId = i.VolumeId, path = i.Path, reason = i.Reason }),
            });
        return 0;
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
