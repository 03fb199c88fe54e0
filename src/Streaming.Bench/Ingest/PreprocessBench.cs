using System.Diagnostics;
using Streaming.Ingest.Preprocess;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Shards.Format;

namespace Streaming.Bench.Ingest;

/// <summary>Result of <see cref="PreprocessBench.Run"/>: per-stage times summed over all repeats, and the output shape.</summary>
public sealed record PreprocessBenchResult(Int3 InputShape, Int3 ResampledShape, Int3 OutputShape, int Repeats,
    PreprocessTimings Timings, TimeSpan Wall)
{
    public double MsPerVolume(TimeSpan t) => t.TotalMilliseconds / Repeats;
}

/// <summary>
/// Times <see cref="Preprocessor.Run(LoadedImage, Volume{byte}?, PreprocessSpec, PreprocessOptions, PreprocessTimings?, CancellationToken)"/>
/// on a CT phantom (default: 512x512x300 at 0.7x0.7x1.25 mm → 1x1x2 mm, as a typical abdominal CT), for the CLI's
/// bench command.
/// </summary>
public static class PreprocessBench
{
    public static PreprocessBenchResult Run(Int3? shape = null, Vec3? spacing = null, Vec3? target = null, int repeats = 3,
        int maxDegreeOfParallelism = 1, CancellationToken ct = default)
    {
        if (repeats < 1) throw new ArgumentException("repeats must be >= 1");
        var image = new LoadedImage(BenchPhantoms.Ct(shape ?? new Int3(512, 512, 300), spacing ?? new Vec3(0.7, 0.7, 1.25), seed: 1),
            new Dictionary<string, string> { ["source"] = "phantom" });
        var spec = new PreprocessSpec
        {
            Name = "bench-ct",
            Modality = Modality.CT,
            TargetSpacing = target ?? new Vec3(1, 1, 2),
            Intensity = new IntensitySpec(),
            Body = new BodySpec(),
            Crop = new CropSpec(),
            Shard = new ShardSpec(),
        };
        var options = new PreprocessOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, SourceName = "phantom-ct" };
        // One untimed run warms up the JIT (tiered compilation would otherwise bill the first repeat).
        Preprocessor.Run(image, null, spec, options, null, ct);
        var timings = new PreprocessTimings();
        var sw = Stopwatch.StartNew();
        PreprocessedVolume? last = null;
        for (var r = 0; r < repeats; r++) last = Preprocessor.Run(image, null, spec, options, timings, ct);
        sw.Stop();
        return new PreprocessBenchResult(image.Volume.Shape, last!.ResampledGeometry.Shape, last.Image.Shape, repeats, timings, sw.Elapsed);
    }
}
