using System.Diagnostics;
using Streaming.Imaging.Volumes;
using Streaming.Imaging.Formats.Dicom;

namespace Streaming.Bench.Ingest;

/// <summary>Timing of <see cref="DicomSeriesReader"/> on one series (for the CLI's bench command).</summary>
public sealed record DicomReadBenchmarkResult(
    string Folder, string SeriesKey, int Files, Int3 Shape, long Bytes, int Repeats,
    double ScanSeconds, double MedianReadSeconds, double MinReadSeconds)
{
    public double MegavoxelsPerSecond => Shape.Volume / 1e6 / MedianReadSeconds;
    public double FileMegabytesPerSecond => Bytes / 1e6 / MedianReadSeconds;
}

public static class DicomReadBenchmark
{
    /// <summary>Scans folder, then reads its largest series repeats times (the first read also warms the file cache).</summary>
    public static DicomReadBenchmarkResult Run(string folder, int repeats = 3, CancellationToken ct = default)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), "repeats must be >= 1");
        var sw = Stopwatch.StartNew();
        var scan = DicomSeriesScanner.Scan(folder);
        var scanSeconds = sw.Elapsed.TotalSeconds;
        var series = scan.Series.MaxBy(s => s.SliceCount)
            ?? throw new InvalidDataException($"{folder}: no DICOM series found ({scan.Skipped.Count} files skipped)");
        var times = new double[repeats];
        Int3 shape = default;
        for (var r = 0; r < repeats; r++)
        {
            sw.Restart();
            shape = DicomSeriesReader.Read(series.Files, ct).Volume.Shape;
            times[r] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        var bytes = series.Files.Sum(f => new FileInfo(f).Length);
        return new DicomReadBenchmarkResult(folder, series.SeriesKey, series.Files.Count, shape, bytes, repeats,
            scanSeconds, times[repeats / 2], times[0]);
    }
}
