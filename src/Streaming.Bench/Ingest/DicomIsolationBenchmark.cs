using System.Diagnostics;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Dicom.Isolation;
using Streaming.Imaging.Volumes;

namespace Streaming.Bench.Ingest;

/// <summary>One series read in-process and through the warm worker (medians of interleaved repeats), in milliseconds.</summary>
public sealed record IsolationBenchRow(string Series, int Files, Int3 Shape, double InProcessMs, double IsolatedMs, double InProcessCpuMs, double IsolatedCpuMs)
{
    public double OverheadMs => IsolatedMs - InProcessMs;
    public double Ratio => IsolatedMs / InProcessMs;
    /// <summary>CPU of both processes (reader + worker) over CPU in-process: the cost on a busy machine.</summary>
    public double CpuRatio => IsolatedCpuMs / InProcessCpuMs;
}

public sealed record IsolationBenchResult(double WorkerStartMs, IReadOnlyList<IsolationBenchRow> Rows);

/// <summary>
/// What crash isolation costs per series: <see cref="DicomSeriesReader.Read(IReadOnlyList{string}, IGdcmAccess, CancellationToken)"/>
/// with GDCM in-process (the baseline) and through one warm <see cref="GdcmWorkerPool"/> worker, alternating so both
/// see the same file cache and machine load; plus the one-off start of a worker (paid once per worker, not per series).
/// </summary>
public static class DicomIsolationBenchmark
{
    public static IsolationBenchResult Run(IReadOnlyList<(string Name, IReadOnlyList<string> Files)> series, int repeats = 5)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats));
        var sw = Stopwatch.StartNew();
        using var pool = new GdcmWorkerPool(1);
        pool.ReadHeaders([series[0].Files[0]]); // starts the worker
        var startMs = sw.Elapsed.TotalMilliseconds;
        var rows = new List<IsolationBenchRow>();
        foreach (var (name, files) in series)
        {
            DicomSeriesReader.Read(files, InProcessGdcm.Instance); // warm the file cache and both code paths
            var shape = DicomSeriesReader.Read(files, pool).Volume.Shape;
            var local = new double[repeats]; var isolated = new double[repeats];
            var localCpu = new double[repeats]; var isolatedCpu = new double[repeats];
            using var self = Process.GetCurrentProcess();
            for (var r = 0; r < repeats; r++)
            {
                var cpu0 = Cpu(self);
                sw.Restart(); DicomSeriesReader.Read(files, InProcessGdcm.Instance); local[r] = sw.Elapsed.TotalMilliseconds;
                var cpu1 = Cpu(self); var worker0 = pool.IdleWorkersCpu.TotalMilliseconds;
                sw.Restart(); DicomSeriesReader.Read(files, pool); isolated[r] = sw.Elapsed.TotalMilliseconds;
                var cpu2 = Cpu(self);
                localCpu[r] = cpu1 - cpu0;
                isolatedCpu[r] = cpu2 - cpu1 + pool.IdleWorkersCpu.TotalMilliseconds - worker0;
            }
            rows.Add(new IsolationBenchRow(name, files.Count, shape, Median(local), Median(isolated), Median(localCpu), Median(isolatedCpu)));
        }
        return new IsolationBenchResult(startMs, rows);
    }

    private static double Cpu(Process p)
    {
        p.Refresh();
        return p.TotalProcessorTime.TotalMilliseconds;
    }

    private static double Median(double[] v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
