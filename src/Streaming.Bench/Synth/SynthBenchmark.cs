using System.Diagnostics;
using Streaming.Imaging.Volumes;
using Streaming.Synth;

namespace Streaming.Bench.Synth;

/// <summary>Result of <see cref="SynthBenchmark.Run"/>: wall time for the batch and per-stage means for one volume.</summary>
public sealed record SynthBenchmarkResult(
    int Volumes, int Parallelism, double Seconds, double CpuSeconds, double MeanVoxels, double MeanSecondsPerVolume, long BytesWritten)
{
    public double VolumesPerMinute => Volumes * 60.0 / Seconds;
    /// <summary>CPU seconds of this process per volume: the cost independent of other load on a shared machine.</summary>
    public double CpuSecondsPerVolume => CpuSeconds / Volumes;
    /// <summary>Volumes per minute that <paramref name="cores"/> dedicated cores would sustain at the measured CPU cost.</summary>
    public double VolumesPerMinuteOnDedicatedCores(int cores) => cores * 60.0 / CpuSecondsPerVolume;
    /// <summary>Minutes to make 1,000 such volumes at this rate.</summary>
    public double MinutesPerThousand => 1000 / VolumesPerMinute;

    public override string ToString() => FormattableString.Invariant(
        $"{Volumes} volumes, parallelism {Parallelism}: {Seconds:F1} s wall, {VolumesPerMinute:F1} volumes/min, {MeanSecondsPerVolume:F2} s per volume (one worker), {CpuSecondsPerVolume:F2} CPU s per volume ({VolumesPerMinuteOnDedicatedCores(2):F0} volumes/min on 2 dedicated cores), mean {MeanVoxels / 1e6:F0} Mvoxel, {BytesWritten / 1e6:F0} MB written; 1,000 volumes in {MinutesPerThousand:F0} min at this wall rate");
}

/// <summary>
/// Generation speed of full-size CT phantoms written as FLARE .nii.gz (what the benchmarks consume). Callable from the
/// CLI's bench command; writes into a scratch folder that it deletes afterwards unless <paramref name="keep"/>.
/// </summary>
public static class SynthBenchmark
{
    public static SynthBenchmarkResult Run(string scratchDir, int volumes = 4, int parallelism = 2, long seed = 2024,
        SynthSize size = SynthSize.Full, bool keep = false, CancellationToken ct = default)
    {
        var dir = Path.Combine(scratchDir, $"synth-bench-{Guid.NewGuid():N}"[..24]);
        try
        {
            var o = new SynthOptions
            {
                OutputDir = dir, Count = volumes, Seed = seed, Modality = SynthModality.Ct, Layout = SynthLayout.Flare,
                Size = size, Parallelism = parallelism,
            };
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var report = SynthRunner.Run(o, null, ct);
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            var bytes = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            return new SynthBenchmarkResult(report.Cases.Count, parallelism, report.Seconds, cpu,
                report.Cases.Average(c => (double)c.Shape.Volume), report.Cases.Average(c => c.Seconds), bytes);
        }
        finally
        {
            if (!keep && Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }
}
