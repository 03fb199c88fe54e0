using System.Diagnostics;
using Streaming.Shards.Cache;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Ingest.Pipeline;
using Streaming.Ingest.Preprocess;
using Streaming.Ingest.Read.Archives;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Training.Logging;

namespace Streaming.Bench.Ingest;

public sealed record IngestBenchOptions
{
    /// <summary>Distinct CT-sized source .nii.gz files (made by the caller: phantoms or synthetic CT).</summary>
    public required IReadOnlyList<string> Sources { get; init; }
    public required string WorkDir { get; init; }
    public required PreprocessSpec Spec { get; init; }
    /// <summary>Volumes in the memory run (names hard-linked onto the sources; must be >= 200 for the check).</summary>
    public int MemoryRunVolumes { get; init; } = 200;
    /// <summary>Volumes in the 1-worker per-volume run (round-robin over the sources).</summary>
    public int SingleRunVolumes { get; init; } = 12;
    /// <summary>Volumes per throughput run (1 and 2 workers).</summary>
    public int ThroughputVolumes { get; init; } = 8;
    public int PatchReads { get; init; } = 100;
    public Int3 Patch { get; init; } = new(128, 128, 32);
}

/// <summary>
/// The ingest benchmark of the issue: full ingest per volume against read+decompress only of the same files (same run),
/// where the time goes, throughput with 1 and 2 workers, peak memory over a long run, shard size against .nii.gz of the
/// same preprocessed volume, and one random patch read.
/// </summary>
public static class IngestBench
{
    public static IReadOnlyList<BenchRow> Run(IngestBenchOptions o, Action<string>? log = null)
    {
        log ??= _ => { };
        var rows = new List<BenchRow>();
        Directory.CreateDirectory(o.WorkDir);

        // 1. Read + decompress only (the baseline), warm page cache: median over the distinct files, after one warm-up
        //    read each. Wall and process CPU time; on a shared machine CPU time is the per-core figure.
        foreach (var s in o.Sources) NiftiReader.ReadRaw(s);
        var baseline = o.Sources.Concat(o.Sources).Select(s => TimeCpu(() => NiftiReader.ReadRaw(s))).ToArray();
        var readOnly = baseline.Select(b => b.Wall).Median();
        var readOnlyCpu = baseline.Select(b => b.Cpu).Median();
        var srcBytes = o.Sources.Average(s => new FileInfo(s).Length);
        rows.Add(new BenchRow("read + decompress only, per volume (wall)", readOnly * 1000, "ms", Note: $"{srcBytes / 1e6:F0} MB .nii.gz"));
        rows.Add(new BenchRow("read + decompress only, per volume (CPU)", readOnlyCpu * 1000, "ms"));
        log($"read-only: {readOnly * 1000:F0} ms wall, {readOnlyCpu * 1000:F0} ms CPU per volume");

        // 2. Full ingest, one worker, per volume: wall (the writer overlaps the next read, so up to 2 threads) and CPU
        //    (the per-core cost), then the stage breakdown: pipeline wall per stage and a sequential CPU profile.
        // One volume first so JIT tiering is done before timing (a real ingest runs for hours; start-up is not per volume).
        Ingest(o, Names(o, "warmup", 1), "warmup", workers: 1, null);
        var timings = new PreprocessTimings();
        var cpu0 = ProcessCpuSeconds();
        var one = Ingest(o, Names(o, "single", o.SingleRunVolumes), "single", workers: 1, timings);
        var oneCpu = (ProcessCpuSeconds() - cpu0) / Math.Max(1, one.Done);
        var perVolume = one.Elapsed.TotalSeconds / Math.Max(1, one.Done);
        rows.Add(new BenchRow("full ingest, 1 worker, per volume (wall)", perVolume * 1000, "ms", "read only (wall)", perVolume / readOnly));
        rows.Add(new BenchRow("full ingest, 1 worker, per volume (CPU, all threads)", oneCpu * 1000, "ms", "read only (CPU)", oneCpu / readOnlyCpu, "target <= 2x per core"));
        foreach (var (stage, sec) in one.StageSeconds.OrderByDescending(k => k.Value))
            rows.Add(new BenchRow($"  pipeline stage {stage} (wall)", sec / Math.Max(1, one.Done) * 1000, "ms/volume", "full ingest (wall)", sec / one.Done / perVolume));
        foreach (var (part, t) in new[] { ("intensity", timings.Intensity), ("resample", timings.Resample), ("body", timings.Body), ("crop", timings.Crop), ("stats", timings.Stats) })
            rows.Add(new BenchRow($"    preprocess {part} (wall)", t.TotalMilliseconds / Math.Max(1, one.Done), "ms/volume", "full ingest (wall)", t.TotalSeconds / one.Done / perVolume));
        log($"full ingest: {perVolume * 1000:F0} ms wall, {oneCpu * 1000:F0} ms CPU per volume ({oneCpu / readOnlyCpu:F2}x read-only CPU)");
        var profile = IngestStageProfile.Run(o.Sources, o.Spec, o.WorkDir, rounds: 2);
        var profileRead = profile.First(p => p.Stage.StartsWith("read + decompress", StringComparison.Ordinal)).CpuMs;
        foreach (var p in profile.Where(p => !double.IsNaN(p.CpuMs)))
            rows.Add(new BenchRow($"  sequential profile: {p.Stage} (CPU)", p.CpuMs, "ms/volume", "read + decompress only (CPU)", p.CpuMs / profileRead, $"wall {p.WallMs:F0} ms, {p.AllocatedMb:F0} MB allocated"));
        var sum = profile.Where(p => !double.IsNaN(p.CpuMs) && !p.Stage.StartsWith("read + decompress", StringComparison.Ordinal)).Sum(p => p.CpuMs);
        rows.Add(new BenchRow("  sequential profile: read + preprocess + write (CPU)", sum, "ms/volume", "read + decompress only (CPU)", sum / profileRead, "target <= 2x per core"));

        // 3. Throughput with 1 and 2 workers.
        double? oneRate = null;
        foreach (var w in new[] { 1, 2 })
        {
            var s = Ingest(o, Names(o, $"tp{w}", o.ThroughputVolumes), $"tp{w}", w, null);
            var rate = s.Done / s.Elapsed.TotalSeconds;
            oneRate ??= rate;
            rows.Add(new BenchRow($"throughput, {w} worker(s)", rate * 60, "volumes/min", w == 1 ? null : "1 worker", w == 1 ? null : rate / oneRate, $"{s.SourceBytesRead / 1e6 / s.Elapsed.TotalSeconds:F0} MB/s of .nii.gz"));
            log($"throughput {w} workers: {rate * 60:F1} volumes/min");
        }

        // 4. Peak memory over a long run: resident memory sampled as volumes complete.
        var marks = new SortedDictionary<int, long>();
        var startRss = MemoryProbe.RssBytes();
        var progress = new InlineProgress(p =>
        {
            var mark = p.Done / Math.Max(1, o.MemoryRunVolumes / 4) * Math.Max(1, o.MemoryRunVolumes / 4);
            if (mark > 0) lock (marks) marks[mark] = Math.Max(marks.GetValueOrDefault(mark), MemoryProbe.RssBytes());
        });
        var memCpu0 = ProcessCpuSeconds();
        var mem = Ingest(o, Names(o, "memory", o.MemoryRunVolumes), "memory", 2, null, progress);
        var memCpu = (ProcessCpuSeconds() - memCpu0) / Math.Max(1, mem.Done);
        rows.Add(new BenchRow($"memory run: volumes ingested (2 workers)", mem.Done, "volumes", Note: $"{mem.Elapsed.TotalMinutes:F1} min, {mem.Done / mem.Elapsed.TotalMinutes:F1} volumes/min"));
        rows.Add(new BenchRow("  memory run: CPU per volume (steady state, all threads)", memCpu * 1000, "ms", "read only (CPU)", memCpu / readOnlyCpu, "target <= 2x per core"));
        long? firstMark = null;
        foreach (var (done, rss) in marks)
        {
            firstMark ??= rss;
            rows.Add(new BenchRow($"  resident memory after {done} volumes", rss / 1048576.0, "MiB", $"after {marks.Keys.First()}", rss / (double)firstMark));
        }
        rows.Add(new BenchRow("  peak resident memory (VmHWM)", MemoryProbe.PeakRssBytes() / 1048576.0, "MiB", Note: $"process start of run {startRss / 1048576.0:F0} MiB"));

        // 5. Shard size against .nii.gz of the same preprocessed volume; 6. one random patch read.
        var store = CacheStore.Open(Path.Combine(o.WorkDir, "cache-single"), o.Spec);
        var rec = store.Volumes().First();
        using var shard = ShardVolume.Open(store.ShardPath(rec.SourceFingerprint));
        var all = shard.ReadAll();
        var niiPath = Path.Combine(o.WorkDir, "preprocessed.nii.gz");
        foreach (var level in new[] { 1, 6 })
        {
            NiftiWriter.Write(niiPath, all.Image, new NiftiWriteOptions { DataType = NiftiDataType.Int16, CompressionLevel = level });
            var nii = new FileInfo(niiPath).Length;
            rows.Add(new BenchRow($"shard (image+mask, zstd {o.Spec.Shard.ZstdLevel}) vs .nii.gz image only (gzip {level})", rec.ShardBytes / 1e6, "MB", $".nii.gz {nii / 1e6:F1} MB", rec.ShardBytes / (double)nii));
        }
        var rng = new Random(1);
        var size = Int3.Min(o.Patch, all.Image.Shape);
        var img = new float[size.Volume]; var body = new byte[size.Volume];
        var patchBytes = size.Volume * (ShardFormat.ImageBytesPerVoxel(rec.Modality) + 1.0 / 8);
        long decoded = 0; var times = new List<double>();
        using var cold = ShardVolume.Open(store.ShardPath(rec.SourceFingerprint));
        for (var i = 0; i < o.PatchReads; i++)
        {
            var max = all.Image.Shape - size;
            var origin = new Int3(rng.Next(max.X + 1), rng.Next(max.Y + 1), rng.Next(max.Z + 1));
            var t = Stopwatch.GetTimestamp();
            var st = cold.ReadRegion(origin, size, img, body);
            times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            decoded += st.BytesDecoded;
        }
        rows.Add(new BenchRow($"random {size} patch read", times.Median(), "ms", Note: "median, no chunk cache"));
        rows.Add(new BenchRow("  bytes decoded per patch", decoded / (double)o.PatchReads / 1e6, "MB", "patch's own bytes", decoded / (double)o.PatchReads / patchBytes, "target <= 4x"));
        return rows;
    }

    private static IngestSummary Ingest(IngestBenchOptions o, string folder, string name, int workers, PreprocessTimings? timings, IProgress<IngestProgress>? progress = null)
    {
        var cache = Path.Combine(o.WorkDir, "cache-" + name);
        if (Directory.Exists(cache)) Directory.Delete(cache, true);
        var opts = new IngestOptions
        {
            Sources = [ArchiveSource.Parse($"glob:{name}={folder}/*.nii.gz")], CacheRoot = cache, Spec = o.Spec, Timings = timings,
            Pipeline = new IngestPipelineOptions { Workers = workers, DiscoveryParallelism = 1 },
        };
        var s = IngestRunner.RunAsync(opts, progress, CancellationToken.None).GetAwaiter().GetResult();
        if (s.Failed > 0) throw new InvalidOperationException($"benchmark ingest failed: {s.Failures[0]}");
        return s;
    }

    /// <summary>A folder of <paramref name="count"/> distinct names hard-linked round-robin onto the sources.</summary>
    private static string Names(IngestBenchOptions o, string name, int count)
    {
        var folder = Path.Combine(o.WorkDir, "in-" + name);
        if (Directory.Exists(folder)) Directory.Delete(folder, true);
        Directory.CreateDirectory(folder);
        for (var i = 0; i < count; i++) HardLinks.Create(o.Sources[i % o.Sources.Count], Path.Combine(folder, $"v{i:D4}.nii.gz"));
        return folder;
    }

    private static (double Wall, double Cpu) TimeCpu(Action a)
    {
        var c = ProcessCpuSeconds();
        var t = Stopwatch.GetTimestamp();
        a();
        return (Stopwatch.GetElapsedTime(t).TotalSeconds, ProcessCpuSeconds() - c);
    }

    private static double ProcessCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static double Median(this IEnumerable<double> xs) { var s = xs.Order().ToArray(); return s.Length == 0 ? 0 : s[s.Length / 2]; }

    private sealed class InlineProgress(Action<IngestProgress> a) : IProgress<IngestProgress> { public void Report(IngestProgress v) => a(v); }
}
