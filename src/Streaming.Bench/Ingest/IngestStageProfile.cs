using System.Diagnostics;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Ingest.Preprocess;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Bench.Ingest;

/// <summary>Wall time, process CPU time and managed bytes allocated by one stage per volume (medians over the runs).</summary>
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
        var acc = new Dictionary<string, List<(double Wall, double Cpu, double Alloc)>>();
        var timings = new PreprocessTimings();
        var n = 0;
        for (var r = 0; r < rounds; r++)
            foreach (var s in sources)
            {
                Measure(acc, "read + decompress only (ReadRaw)", () => NiftiReader.ReadRaw(s));
                var image = Measure(acc, "read (NiftiReader.Read → float)", () => NiftiReader.Read(s));
                var pv = Measure(acc, "preprocess", () => Preprocessor.Run(image, null, spec, timings));
                image = null;
                var header = VolumeRecord.Header(new ShardSource(Path.GetFileName(s), "profile", spec.Modality, [s]), "0", "profile");
                Measure(acc, "write shard", () => ShardWriter.Write(Path.Combine(folder, "v.arrow"), pv.ToShardInput(), header, spec.Shard));
                n++;
            }
        // Medians, not means: on a shared machine one volume that lost its core to another process skews a mean.
        var rows = acc.Select(kv => new StageCost(kv.Key, Median(kv.Value.Select(v => v.Wall)), Median(kv.Value.Select(v => v.Cpu)), Median(kv.Value.Select(v => v.Alloc)))).ToList();
        foreach (var (part, t) in new[] { ("intensity", timings.Intensity), ("resample", timings.Resample), ("body", timings.Body), ("crop", timings.Crop), ("stats", timings.Stats) })
            rows.Add(new StageCost($"  preprocess: {part}", t.TotalMilliseconds / n, double.NaN, double.NaN));
        return rows;
    }

    private static double Median(IEnumerable<double> xs) { var s = xs.Order().ToArray(); return s[s.Length / 2]; }

    private static T Measure<T>(Dictionary<string, List<(double Wall, double Cpu, double Alloc)>> acc, string stage, Func<T> f)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var a0 = GC.GetTotalAllocatedBytes(precise: true);
        var t0 = Stopwatch.GetTimestamp();
        var result = f();
        var wall = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
        var alloc = (GC.GetTotalAllocatedBytes(precise: true) - a0) / 1e6;
        if (!acc.TryGetValue(stage, out var list)) acc[stage] = list = [];
        list.Add((wall, cpu, alloc));
        return result;
    }
}
