using System.Diagnostics;
using System.Globalization;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// Accumulates wall time per preprocessing stage over any number of volumes, so a benchmark can say where the time
/// goes. Thread-safe (one instance may be shared by the workers of a parallel ingest). Intensity = non-finite check
/// (and, for MR, percentile scaling); the CT clamp is fused into the resampler's first pass and counts as Resample.
/// </summary>
public sealed class PreprocessTimings
{
    private long _intensity, _resample, _body, _crop, _stats, _volumes;

    public TimeSpan Intensity => TimeSpan.FromTicks(Interlocked.Read(ref _intensity));
    public TimeSpan Resample => TimeSpan.FromTicks(Interlocked.Read(ref _resample));
    public TimeSpan Body => TimeSpan.FromTicks(Interlocked.Read(ref _body));
    public TimeSpan Crop => TimeSpan.FromTicks(Interlocked.Read(ref _crop));
    public TimeSpan Stats => TimeSpan.FromTicks(Interlocked.Read(ref _stats));
    public TimeSpan Total => Intensity + Resample + Body + Crop + Stats;
    /// <summary>Number of volumes that completed the whole chain.</summary>
    public long Volumes => Interlocked.Read(ref _volumes);

    internal void AddIntensity(long stopwatchTicks) => Interlocked.Add(ref _intensity, ToTimeSpanTicks(stopwatchTicks));
    internal void AddResample(long stopwatchTicks) => Interlocked.Add(ref _resample, ToTimeSpanTicks(stopwatchTicks));
    internal void AddBody(long stopwatchTicks) => Interlocked.Add(ref _body, ToTimeSpanTicks(stopwatchTicks));
    internal void AddCrop(long stopwatchTicks) => Interlocked.Add(ref _crop, ToTimeSpanTicks(stopwatchTicks));
    internal void AddStats(long stopwatchTicks) => Interlocked.Add(ref _stats, ToTimeSpanTicks(stopwatchTicks));
    internal void AddVolume() => Interlocked.Increment(ref _volumes);

    private static long ToTimeSpanTicks(long stopwatchTicks) =>
        (long)(stopwatchTicks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Volumes} volume(s): intensity {Intensity.TotalMilliseconds:F1} ms, resample {Resample.TotalMilliseconds:F1} ms, " +
        $"body {Body.TotalMilliseconds:F1} ms, crop {Crop.TotalMilliseconds:F1} ms, stats {Stats.TotalMilliseconds:F1} ms, " +
        $"total {Total.TotalMilliseconds:F1} ms");
}
