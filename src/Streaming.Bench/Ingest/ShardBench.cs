using System.Diagnostics;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;

namespace Streaming.Bench.Ingest;

/// <summary>One zstd level's numbers: write time and size of the shard, and random 128x128x32 region reads.</summary>
public sealed record ShardBenchResult(
    int ZstdLevel, Int3 Shape, double WriteSeconds, double WriteCpuSeconds, long ShardBytes, long Int16Bytes,
    double ReadMeanMs, double ReadMedianMs, double ReadMaxMs, double ReadCpuMeanMs, double MeanChunksPerRead, double MaxDecodedRatio)
{
    public double CompressionRatio => (double)Int16Bytes / ShardBytes;

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"zstd {ZstdLevel,2}: write {WriteSeconds:F2} s (cpu {WriteCpuSeconds:F2} s), {ShardBytes / 1048576.0:F1} MiB ({CompressionRatio:F2}x vs raw int16), " +
        $"128x128x32 read mean {ReadMeanMs:F2} ms / median {ReadMedianMs:F2} ms / max {ReadMaxMs:F2} ms, cpu {ReadCpuMeanMs:F2} ms/read, " +
        $"{MeanChunksPerRead:F1} chunks/read, decoded <= {MaxDecodedRatio:F3}x patch bytes");
}

/// <summary>
/// Shard write/read benchmark on a CT phantom (for the CLI's bench command). Wall and process CPU
/// times are both reported: on a shared machine CPU time is the steadier number for this single-threaded work.
/// </summary>
public static class ShardBench
{
    public static IReadOnlyList<ShardBenchResult> Run(string folder, Int3 shape, IReadOnlyList<int> levels, int regionReads = 50, int seed = 0)
    {
        Directory.CreateDirectory(folder);
        var v = BenchPhantoms.ShardInput(shape, new Vec3(1, 1, 2), seed);
        var patch = new Int3(128, 128, 32);
        var patchBytes = patch.Volume * 2 + patch.Volume / 8;
        var results = new List<ShardBenchResult>();
        Warm(folder);
        foreach (var level in levels)
        {
            var path = Path.Combine(folder, $"bench-zstd{level}{ShardFormat.FileExtension}");
            var header = new VolumeRecord
            {
                Id = "bench", Dataset = "synthetic", Modality = Modality.CT, SourcePaths = [], SourceFingerprint = "bench", SpecKey = "bench",
            };
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var rec = ShardWriter.Write(path, v, header, new ShardSpec { ZstdLevel = level });
            var writeSeconds = sw.Elapsed.TotalSeconds;
            var writeCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;

            var times = new List<double>();
            long chunks = 0;
            double maxRatio = 0;
            var rng = new Random(seed + level);
            var img = new float[patch.Volume];
            var mask = new byte[patch.Volume];
            TimeSpan readCpu;
            using (var s = ShardVolume.Open(path))
            {
                var rc0 = Process.GetCurrentProcess().TotalProcessorTime;
                for (var i = 0; i < regionReads; i++)
                {
                    var o = new Int3(rng.Next(shape.X - patch.X + 1), rng.Next(shape.Y - patch.Y + 1), rng.Next(shape.Z - patch.Z + 1));
                    sw.Restart();
                    var st = s.ReadRegion(o, patch, img, mask);
                    times.Add(sw.Elapsed.TotalMilliseconds);
                    chunks += st.ChunksDecoded;
                    maxRatio = Math.Max(maxRatio, (double)st.BytesDecoded / patchBytes);
                }
                readCpu = Process.GetCurrentProcess().TotalProcessorTime - rc0;
            }
            times.Sort();
            results.Add(new ShardBenchResult(level, shape, writeSeconds, writeCpu, rec.ShardBytes, shape.Volume * 2,
                times.Average(), times[times.Count / 2], times[^1], readCpu.TotalMilliseconds / regionReads,
                (double)chunks / regionReads, maxRatio));
            File.Delete(path);
        }
        return results;
    }

    /// <summary>Runs the write and read paths once on a small volume so JIT tiering does not land in the first timing.</summary>
    private static void Warm(string folder)
    {
        var path = Path.Combine(folder, "bench-warmup" + ShardFormat.FileExtension);
        var shape = new Int3(128, 128, 32);
        var header = new VolumeRecord
        {
            Id = "warm", Dataset = "synthetic", Modality = Modality.CT, SourcePaths = [], SourceFingerprint = "warm", SpecKey = "warm",
        };
        ShardWriter.Write(path, BenchPhantoms.ShardInput(shape, new Vec3(1, 1, 2), 0), header, new ShardSpec { ZstdLevel = 1 });
        using (var s = ShardVolume.Open(path))
            for (var i = 0; i < 30; i++) s.ReadAll();
        File.Delete(path);
    }
}
