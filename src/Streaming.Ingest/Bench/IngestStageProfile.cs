using System.Diagnostics;
using Streaming.Ingest.Formats.Nifti;
using Streaming.Ingest.Preprocess;
using Streaming.Ingest.Read;
using Streaming.Ingest.Shards;
using Streaming.Ingest.Specs;
using Streaming.Ingest.Volumes;

namespace Streaming.Ingest.Bench;

/// <summary>Wall time, process CPU time and managed bytes allocated by one stage, averaged per volume.</summary>
public sealed record StageCost(string Stage, double WallMs, double CpuMs, double AllocatedMb);

/// <summary>
/// Runs read → preprocess → write for each source one after the other on this thread (no pipeline overlap), so each
/// stage's CPU time is its own: on a shared, loaded machine wall time per stage mixes in other processes, CPU time
/// does not. The read-only baseline (<see cref="NiftiReader.ReadRaw"/>) is measured the same way.
/// </summary>
public static class IngestStageProfile
{
    public static IReadOnlyList<StageCost> Run(IReadOnlyList<string> sources, PreprocessSpec spec, string workDir, int rounds = 1)
    {
        var folder = Path.Combine(workDir, "profile");
        Directory.CreateDirectory(folder);
        var acc = new Dictionary<string, (double Wall, double Cpu, double Alloc)>();
        var timings = new PreprocessTimings();
        var n = 0;
        for (var r = 0; r < rounds; r++)
            foreach (var s in sources)
            {
                Measure(acc, "read + decompress only (ReadRaw)", () => NiftiReader.ReadRaw(s));
                var image = Measure(acc, "read (NiftiReader.Read → float)", () => NiftiReader.Read(s));
                var pv = Measure(acc, "preprocess", () => Preprocessor.Run(image, null, spec, timings));
                image = null;
                var header = VolumeRecord.Header(new SourceItem(Path.GetFileName(s), "profile", spec.Modality, SourceKind.Nifti, [s]), "0", "profile");
                Measure(acc, "write shard", () => ShardWriter.Write(Path.Combine(folder, "v.arrow"), pv, header, spec.Shard));
                n++;
            }
        var rows = acc.Select(kv => new StageCost(kv.Key, kv.Value.Wall / n, kv.Value.Cpu / n, kv.Value.Alloc / n)).ToList();
        foreach (var (part, t) in new[] { ("intensity", timings.Intensity), ("resample", timings.Resample), ("body", timings.Body), ("crop", timings.Crop), ("stats", timings.Stats) })
            rows.Add(new StageCost($"  preprocess: {part}", t.TotalMilliseconds / n, double.NaN, double.NaN));
        return rows;
    }

    private static T Measure<T>(Dictionary<string, (double Wall, double Cpu, double Alloc)> acc, string stage, Func<T> f)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var a0 = GC.GetTotalAllocatedBytes(precise: false);
        var t0 = Stopwatch.GetTimestamp();
        var result = f();
        var wall = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
        var alloc = (GC.GetTotalAllocatedBytes(precise: false) - a0) / 1e6;
        var old = acc.GetValueOrDefault(stage);
        acc[stage] = (old.Wall + wall, old.Cpu + cpu, old.Alloc + alloc);
        return result;
    }
}
