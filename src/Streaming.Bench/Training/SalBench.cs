using System.Diagnostics;
using System.Globalization;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Prefetch;
using Streaming.Sampling.Slices;
using Streaming.Synth.InMemory;
using Streaming.Training.Config;
using Streaming.Training.Loop;
using Streaming.Training.Methods.Sal;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Bench.Training;

/// <summary>Settings of <see cref="SalBench.Run"/>; the SAL config timed (its model, loss and sampling) and the cache it mimics.</summary>
public sealed record SalBenchOptions
{
    public required SalOptions Method { get; init; }
    public int Volumes { get; init; } = 6;
    /// <summary>Shape of the in-memory volumes (the cached, cropped phantoms of pipelines/ct-fixedfov-4mm.yaml are 96 x 96 x 66-84).</summary>
    public Int3 VolumeShape { get; init; } = new(96, 96, 80);
    public Int3 ChunkShape { get; init; } = new(48, 48, 4);
    public int SampleBatches { get; init; } = 40;
    public int Workers { get; init; } = 2;
    public int TrainSteps { get; init; } = 5;
    public int Threads { get; init; } = 1;

    public void Validate()
    {
        Method.Validate();
        if (Volumes < 2 || SampleBatches < 1 || Workers < 1 || TrainSteps < 1 || Threads < 1) throw new ArgumentException("bench sal: counts must be positive (volumes >= 2)");
        if (!VolumeShape.AllPositive || !ChunkShape.AllPositive || VolumeShape.Volume > short.MaxValue * 1000L) throw new ArgumentException("bench sal: bad volume or chunk shape");
    }
}

/// <summary>
/// `bench sal`: SAL's slice batches from an in-memory cache with the shard layout (int16 + body bits, Zstd chunks):
/// batches per second and per CPU-second on one thread, through 1..N prefetch workers, and bytes decoded per slice with
/// the grouped chunk-layer reads against one read per slice (the baseline, same volumes and draws); then the training
/// step of the config (forward, GP + lambda x WLA, backward, Adam) against the same step at lambda = 0 (PCL, the
/// baseline: the cost of the local alignment).
/// </summary>
public static class SalBench
{
    public static IReadOnlyList<BenchRow> Run(SalBenchOptions o, TextWriter? progress = null)
    {
        o.Validate();
        var rows = new List<BenchRow>();
        var s = o.Method.Sampling with { Seed = 1 };
        progress?.WriteLine($"building {o.Volumes} CT phantoms {o.VolumeShape} (chunks {o.ChunkShape})...");
        var stores = Enumerable.Range(0, o.Volumes).AsParallel().AsOrdered()
            .Select(i => BenchPhantoms.Store($"synth-{i:D2}", "SYN", o.VolumeShape, new Vec3(4, 4, 4), seed: i + 1, o.ChunkShape, zstdLevel: 3))
            .ToArray();
        var byId = stores.ToDictionary(x => x.Info.Id);
        IReadOnlyList<ShardVolumeInfo> infos = [.. stores.Select(x => x.Info)];
        IShardVolume Open(ShardVolumeInfo i) => byId[i.Id].Open();
        int slices = s.VolumesPerBatch * s.SlicesPerVolume;
        var shape = $"{s.VolumesPerBatch} volumes x {s.SlicesPerVolume} slices x 2 views of {s.SliceShape}";

        var (plainRate, plainCpu, plainBytes) = SingleThread(infos, Open, s with { Augmentations = s.Augmentations with { Enabled = false } }, o.SampleBatches);
        rows.Add(new("slice batches, 1 thread, reads only", plainRate, "batches/s", Note: $"{plainCpu * 1000:F1} ms CPU/batch; {shape}"));
        var (augRate, augCpu, _) = SingleThread(infos, Open, s, o.SampleBatches);
        rows.Add(new("slice batches, 1 thread, augmented", augRate, "batches/s", "reads only", augRate / plainRate, $"{augCpu * 1000:F1} ms CPU/batch"));
        rows.Add(new("slice batches per CPU-second", 1 / augCpu, "batches/s", Note: $"per core, from process CPU time; {2 * slices / augCpu:F0} views/s"));
        foreach (var w in new[] { 1, o.Workers }.Distinct())
        {
            var (rate, cpu) = Streamed(infos, Open, s, w, o.SampleBatches + 2 * w);
            rows.Add(new($"slice batches, prefetch {w} worker(s)", rate, "batches/s", Note: $"{cpu * 1000:F1} ms CPU/batch"));
        }

        // Decode cost: grouped layer reads (the source) against one read per slice, for the same draws.
        var own = s.SliceShape.Area * 2.125 * (1 + 2.0 * s.MaxShift / s.SliceShape.X) * (1 + 2.0 * s.MaxShift / s.SliceShape.Y);
        var perSlice = plainBytes / (double)slices;
        var separate = SeparateReadBytes(stores, s, o.SampleBatches) / slices;
        rows.Add(new("decoded per slice, grouped by chunk layer", perSlice / 1e3, "kB", "one read per slice", perSlice / separate,
            $"{perSlice / own:F2}x the read window's own bytes; chunks {o.ChunkShape}"));
        rows.Add(new("decoded per slice, one read per slice", separate / 1e3, "kB", Note: $"{separate / own:F2}x the window's own bytes"));

        // Training steps: SAL against PCL (lambda = 0) on the same batches.
        var batches = new List<SliceBatch>();
        using (var src = new SliceSource(infos, Open, s)) for (var k = 0; k < o.TrainSteps + 1; k++) batches.Add(src.Batch(k));
        var (pcl, pclCpu) = StepSeconds(o.Method with { Lambda = 0 }, batches, o.Threads);
        var (sal, salCpu) = StepSeconds(o.Method, batches, o.Threads);
        var widths = string.Join("-", o.Method.Model.Widths);
        rows.Add(new("training step, PCL (lambda 0)", pcl, "s/step", Note: string.Create(CultureInfo.InvariantCulture, $"{pclCpu:F3} CPU s/step; U-Net {widths}, {2 * slices} slices of {s.SliceShape}, {o.Threads} thread(s)")));
        rows.Add(new($"training step, SAL (lambda {o.Method.Lambda:G})", sal, "s/step", "PCL", sal / pcl, string.Create(CultureInfo.InvariantCulture, $"{salCpu:F3} CPU s/step; WLA window {o.Method.WindowH}x{o.Method.WindowW}")));
        return rows;
    }

    private static (double Rate, double CpuPerBatch, long BytesPerBatch) SingleThread(IReadOnlyList<ShardVolumeInfo> infos,
        Func<ShardVolumeInfo, IShardVolume> open, SliceSamplingOptions opts, int steps)
    {
        using var src = new SliceSource(infos, open, opts);
        return SourceThroughput.SingleThread(src, 10_000, steps);
    }

    private static (double Rate, double CpuPerBatch) Streamed(IReadOnlyList<ShardVolumeInfo> infos, Func<ShardVolumeInfo, IShardVolume> open,
        SliceSamplingOptions opts, int workers, int steps)
    {
        using var src = new SliceSource(infos, open, opts);
        return SourceThroughput.Streamed(src, workers, steps);
    }

    /// <summary>Bytes decoded per batch when every drawn slice is its own read (the volumes' chunk shape hidden).</summary>
    private static double SeparateReadBytes(ChunkStore[] stores, SliceSamplingOptions opts, int steps)
    {
        var byId = stores.ToDictionary(x => x.Info.Id);
        var infos = stores.Select(x => x.Info with { ChunkShape = null }).ToList();
        using var src = new SliceSource(infos, i => new HiddenChunks(byId[i.Id].Open()), opts with { Augmentations = opts.Augmentations with { Enabled = false } });
        long bytes = 0;
        for (var k = 0; k < steps; k++) bytes += src.Batch(k).BytesDecoded;
        return bytes / (double)steps;
    }

    private sealed class HiddenChunks(IShardVolume inner) : IShardVolume
    {
        public ShardVolumeInfo Info => inner.Info with { ChunkShape = null };
        public RegionReadStats ReadRegion(Int3 origin, Int3 size, Span<float> image, Span<byte> body, Span<byte> labels = default) =>
            inner.ReadRegion(origin, size, image, body, labels);
        public void Dispose() => inner.Dispose();
    }

    private static (double Wall, double Cpu) StepSeconds(SalOptions o, IReadOnlyList<SliceBatch> batches, int threads)
    {
        int before = get_num_threads();
        set_num_threads(threads);
        try
        {
            manual_seed(0);
            using var method = o.CreateMethod();
            method.Model.train();
            var parameters = method.Model.parameters().ToList();
            using var opt = AdamFactory.Create(parameters, 1e-3);
            TrainStep.Run(method, opt, parameters, batches[0], CPU, 1.0); // warm-up
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var t0 = Stopwatch.GetTimestamp();
            foreach (var b in batches.Skip(1)) TrainStep.Run(method, opt, parameters, b, CPU, 1.0);
            var wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            return (wall / (batches.Count - 1), cpu / (batches.Count - 1));
        }
        finally { set_num_threads(before); }
    }
}
