using System.Diagnostics;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Augment;
using Streaming.Sampling.Pairs;
using Streaming.Sampling.Prefetch;
using Streaming.Sampling.Random;
using Streaming.Synth.InMemory;
using Streaming.Sampling;

namespace Streaming.Bench.Sampling;

/// <summary>
/// `bench sample`: vox2vec batches from an in-memory cache of CT phantoms with the shard layout (int16 + body bits,
/// Zstd chunks). Measures batches/s on one thread and through the prefetch stream, CPU seconds per batch, the cost of
/// each augmentation per view, bytes decoded per patch against the patch's own bytes, and simulated consumers slower
/// and faster than the workers.
/// </summary>
public static class SamplingBench
{
    public static SamplingBenchReport Run(SamplingBenchOptions o, TextWriter? progress = null)
    {
        o.Validate();
        var rows = new List<BenchRow>();
        void Log(string s) => progress?.WriteLine(s);

        Log($"building {o.Volumes} CT phantoms {o.VolumeShape} (chunks {o.ChunkShape}, zstd {o.ZstdLevel})...");
        var stores = Enumerable.Range(0, o.Volumes).AsParallel().AsOrdered().Select(i =>
            BenchPhantoms.Store($"synth-{i:D2}", i % 2 == 0 ? "FLARE" : "AMOS", o.VolumeShape, new Vec3(1, 1, 2), i + 1, o.ChunkShape, o.ZstdLevel))
            .ToArray();
        var byId = stores.ToDictionary(s => s.Info.Id);
        IReadOnlyList<ShardVolumeInfo> infos = [.. stores.Select(s => s.Info)];
        IShardVolume Open(ShardVolumeInfo i) => byId[i.Id].Open();
        var raw = stores.Sum(s => s.Info.Shape.Volume * 2.125);
        rows.Add(new("cache compression", raw / stores.Sum(s => s.StoredBytes), "x", Note: "int16+bits / zstd bytes"));

        var p = o.Sampling.PatchShape;
        var pairs = o.Sampling.VolumesPerBatch * o.Sampling.PairsPerVolume;

        // One thread, no augmentation: read + decode + pair drawing.
        var plain = o.Sampling with { Augmentations = o.Sampling.Augmentations with { Enabled = false } };
        var (plainRate, plainCpu, bytes) = SingleThread(infos, Open, plain, o.Steps);
        rows.Add(new("1 thread, crops only", plainRate, "batches/s", Note: $"{plainCpu * 1000:F0} ms CPU/batch"));
        var (augRate, augCpu, _) = SingleThread(infos, Open, o.Sampling, o.Steps);
        rows.Add(new("1 thread, with augmentations", augRate, "batches/s", Note: $"{augCpu * 1000:F0} ms CPU/batch; target >= 2"));
        rows.Add(new("batches per CPU-second", 1 / augCpu, "batches/s", Note: "per core, from process CPU time"));

        var readMs = ReadOnlyCost(stores, p, 2 * pairs * o.Steps) * 2 * pairs;
        rows.Add(new("read+decode only", readMs, "ms/batch", Note: $"{2 * pairs} ReadRegion calls; the rest of 'crops only' is sampling"));

        var perPatch = bytes / (2.0 * pairs);
        var patchOwn = p.Volume * 2.125;
        rows.Add(new("decoded per patch", perPatch / 1e6, "MB", Note: $"{perPatch / patchOwn:F2}x the patch's own {patchOwn / 1e6:F2} MB (int16+bits)"));

        foreach (var (name, ms) in AugmentationCosts(o.Sampling.Augmentations, p))
            rows.Add(new($"aug {name}", ms, "ms/view", Note: $"{ms * 2 * pairs:F0} ms per batch if always on"));

        // Prefetch: consumer takes as fast as it can.
        double capacity = 0;
        foreach (var w in Enumerable.Range(1, o.Workers).Where(w => w == 1 || w == o.Workers))
        {
            var (rate, cpu) = Streamed(infos, Open, o.Sampling, w, o.Steps + 2 * w);
            rows.Add(new($"prefetch, {w} worker(s)", rate, "batches/s", Note: $"{rate / w:F2} per worker; {cpu * 1000:F0} ms CPU/batch"));
            capacity = rate;
            if (w == o.Workers) rows.Add(new("worker capacity from CPU time", w / cpu, "batches/s", Note: $"{w} workers / CPU s per batch (uncontended bound)"));
        }

        // Simulated consumers around the measured capacity.
        foreach (var (label, load) in new[] { ("slow", o.SlowConsumerLoad), ("fast", o.FastConsumerLoad) })
        {
            var stepSeconds = 1 / (capacity * load);
            var (waitFraction, maxWait, rate, runCapacity) = Consumer(infos, Open, o.Sampling, o.Workers, stepSeconds, o.ConsumerSteps);
            // The machine may be shared: judge against what the workers could actually do during this run.
            var keptUp = runCapacity > 1 / stepSeconds;
            var verdict = label == "fast" ? "the deficit shows up as wait"
                : !keptUp ? $"n/a: workers reached only {runCapacity:F2} batches/s during the run (CPU contention)"
                : waitFraction < 0.01 ? $"OK (< 1%; workers {runCapacity:F2} batches/s)" : $"FAIL (>= 1% with workers at {runCapacity:F2} batches/s)";
            rows.Add(new($"{label} consumer wait ({load:F1}x capacity)", waitFraction * 100, "% of step", Note:
                $"step {stepSeconds * 1000:F0} ms, mean wait {waitFraction * stepSeconds * 1000:F1} ms, max {maxWait * 1000:F1} ms, " +
                $"{rate:F2} steps/s; {verdict}"));
        }

        var setup = $"vox2vec bench: {pairs} pairs of {p} patches, m={o.Sampling.PositionsPerPair}, {o.Volumes} volumes {o.VolumeShape}, " +
                    $"chunks {o.ChunkShape}, {Environment.ProcessorCount} logical CPUs visible, SIMD {System.Numerics.Vector<float>.Count * 32} bit";
        return new SamplingBenchReport(setup, rows);
    }

    private static (double Rate, double CpuPerBatch, long Bytes) SingleThread(IReadOnlyList<ShardVolumeInfo> infos,
        Func<ShardVolumeInfo, IShardVolume> open, SamplingOptions opts, int steps)
    {
        using var src = new Vox2VecPairSource(infos, open, opts);
        return SourceThroughput.SingleThread(src, 1000, steps);
    }

    private static (double Rate, double CpuPerBatch) Streamed(IReadOnlyList<ShardVolumeInfo> infos,
        Func<ShardVolumeInfo, IShardVolume> open, SamplingOptions opts, int workers, int steps)
    {
        using var src = new Vox2VecPairSource(infos, open, opts);
        return SourceThroughput.Streamed(src, workers, steps);
    }

    /// <summary>Milliseconds per patch of ReadRegion alone (decode + copy) at random origins.</summary>
    private static double ReadOnlyCost(ChunkStore[] stores, Int3 p, int reads)
    {
        var readers = stores.Select(s => s.Open()).ToArray();
        var img = new float[p.Volume];
        var body = new byte[p.Volume];
        var r = new RandomKey(17).Stream();
        void One()
        {
            var v = readers[r.NextInt(readers.Length)];
            var sh = v.Info.Shape;
            var o = new Int3(r.NextInt(Math.Max(1, sh.X - p.X + 1)), r.NextInt(Math.Max(1, sh.Y - p.Y + 1)), r.NextInt(Math.Max(1, sh.Z - p.Z + 1)));
            v.ReadRegion(o, Int3.Min(p, sh), img, body);
        }
        One();
        var t0 = Stopwatch.GetTimestamp();
        for (var k = 0; k < reads; k++) One();
        var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds / reads;
        foreach (var v in readers) v.Dispose();
        return ms;
    }

    /// <summary>A trainer whose step takes stepSeconds; returns total wait / total step time after the first batch.</summary>
    private static (double WaitFraction, double MaxWait, double StepsPerSecond, double WorkerCapacity) Consumer(IReadOnlyList<ShardVolumeInfo> infos,
        Func<ShardVolumeInfo, IShardVolume> open, SamplingOptions opts, int workers, double stepSeconds, int steps)
    {
        using var src = new Vox2VecPairSource(infos, open, opts);
        using var stream = PrefetchStream.Start(src, 0, new PrefetchOptions { Workers = workers, Capacity = 2 * workers + 2 });
        stream.Take(); // the first batch is always a wait (start-up), not steady state
        double wait = 0, max = 0;
        var t0 = Stopwatch.GetTimestamp();
        for (var k = 1; k < steps; k++)
        {
            Busy(stepSeconds);
            stream.Take();
            var w = stream.LastTelemetry.ConsumerWait.TotalSeconds;
            wait += w; max = Math.Max(max, w);
        }
        var capacity = stream.BatchesBuilt / stream.WorkerBusySeconds * workers;
        return (wait / ((steps - 1) * stepSeconds), max, (steps - 1) / Stopwatch.GetElapsedTime(t0).TotalSeconds, capacity);
    }

    /// <summary>The simulated training step: sleeps (a GPU step costs the host no CPU).</summary>
    private static void Busy(double seconds) => Thread.Sleep(TimeSpan.FromSeconds(seconds));

    /// <summary>Milliseconds per 128x128x32 view of each transform, always on, on a CT-like view.</summary>
    private static IEnumerable<(string Name, double Ms)> AugmentationCosts(AugmentationOptions a, Int3 p)
    {
        var ph = BenchPhantoms.Ct(new Int3(p.X * 2, p.Y * 2, p.Z), new Vec3(1, 1, 2), 3);
        var view = new float[p.Volume];
        for (var z = 0; z < p.Z; z++)
            for (var y = 0; y < p.Y; y++)
                ph.Data.AsSpan((int)ph.Shape.Index(p.X / 2, y + p.Y / 2, z), p.X).CopyTo(view.AsSpan((int)p.Index(0, y, z), p.X));
        var work = new float[view.Length];
        var s = new AugmentScratch(p);
        var unit = a with { LocalShuffleProbability = 1, InpaintProbability = 1, BezierProbability = 1 };
        var r = new RandomKey(11).Stream();
        var fullKey = 0UL; // a new draw per repetition: the full pipeline's cost depends on what was drawn
        (string, Action)[] ops =
        [
            ("blur sigma 1.5", () => BlurOrSharpen.Apply(work, p, new BlurOrSharpenParameters(FilterKind.Blur, 1.5, 0, 0), s)),
            ("sharpen", () => BlurOrSharpen.Apply(work, p, new BlurOrSharpenParameters(FilterKind.Sharpen, 1.0, 0.5, 20), s)),
            ("noise", () => GaussianNoise.Apply(work, new GaussianNoiseParameters(15, 99))),
            ("window", () => IntensityWindow.Apply(work, new IntensityWindowParameters(-1200, 600))),
            ("bezier", () => BezierIntensity.Apply(work, new BezierParameters(true, 0.3, 0.8, 0.6, 0.2, false))),
            ("local shuffle", () => LocalPixelShuffle.Apply(work, p, LocalPixelShuffle.Draw(ref r, unit, p), s)),
            ("inpaint", () => Inpainting.Apply(work, p, Inpainting.Draw(ref r, unit, p))),
            ("full vox2vec view", () => ViewAugmentation.Apply(work, p, ViewAugmentation.Draw(new RandomKey(fullKey++), a, p), s)),
        ];
        foreach (var (name, op) in ops)
        {
            view.CopyTo(work); op(); // warm-up
            const int reps = 5;
            double total = 0;
            for (var k = 0; k < reps; k++)
            {
                view.CopyTo(work);
                var t0 = Stopwatch.GetTimestamp();
                op();
                total += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            yield return (name, total / reps);
        }
    }
}
