using System.Diagnostics;
using Streaming.Ingest.Preprocess;
using Streaming.Ingest.Specs;
using Streaming.Ingest.Volumes;

namespace Streaming.Ingest.Shards;

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
/// Shard write/read benchmark on a synthetic CT-like volume (for the CLI's bench command). Wall and process CPU
/// times are both reported: on a shared machine CPU time is the steadier number for this single-threaded work.
/// </summary>
public static class ShardBench
{
    /// <summary>
    /// A CT-like volume: air outside an elliptic body (-1000 HU), soft tissue ~40 HU with smooth low-frequency
    /// variation, a bone ring (~700 HU), plus noise (sd ~ 15 HU) — compressible like real CT, not like zeros.
    /// </summary>
    public static PreprocessedVolume SyntheticCt(Int3 shape, int seed = 0)
    {
        var g = VolumeGeometry.Axial(shape, new Vec3(1, 1, 2));
        var image = new Volume<float>(g);
        var body = new Volume<byte>(g);
        var rng = new Random(seed);
        double cx = shape.X / 2.0, cy = shape.Y / 2.0, ax = shape.X * 0.42, ay = shape.Y * 0.33;
        for (var z = 0; z < shape.Z; z++)
            for (var y = 0; y < shape.Y; y++)
            {
                var row = (int)shape.Index(0, y, z);
                for (var x = 0; x < shape.X; x++)
                {
                    var r = Math.Sqrt(Math.Pow((x - cx) / ax, 2) + Math.Pow((y - cy) / ay, 2));
                    var noise = (rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5) * 30;
                    double hu;
                    if (r > 1) hu = -1000 + noise;
                    else if (r > 0.9) hu = 700 + 200 * Math.Sin(x * 0.05 + z * 0.1) + noise;
                    else hu = 40 + 60 * Math.Sin(x * 0.03) * Math.Cos(y * 0.025) + 30 * Math.Sin(z * 0.07) + noise;
                    image.Data[row + x] = (float)hu;
                    body.Data[row + x] = (byte)(r <= 1 ? 1 : 0);
                }
            }
        return new PreprocessedVolume(image, body, null, g, g, new CropBox(new Int3(0, 0, 0), shape),
            new IntensityStats(-1000, 900, -300, 500, -1000, 900, 40, 60));
    }

    public static IReadOnlyList<ShardBenchResult> Run(string folder, Int3 shape, IReadOnlyList<int> levels, int regionReads = 50, int seed = 0)
    {
        Directory.CreateDirectory(folder);
        var v = SyntheticCt(shape, seed);
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
        ShardWriter.Write(path, SyntheticCt(shape), header, new ShardSpec { ZstdLevel = 1 });
        using (var s = ShardVolume.Open(path))
            for (var i = 0; i < 30; i++) s.ReadAll();
        File.Delete(path);
    }
}
