using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Dicom.Isolation;
using Streaming.Tests;

namespace Streaming.Cli.Tests.Faults;

/// <summary>
/// The crafted files really abort GDCM in-process (shown in a child process: the worker host's --probe mode), and
/// behind the worker pool a native crash costs one file or one series, with the file and the signal named.
/// </summary>
public sealed class NativeCrashFaults : IDisposable
{
    private readonly TempDir _t = new();
    private readonly IReadOnlyList<string> _good;

    public NativeCrashFaults() => _good = FaultFiles.DicomSeries(_t.Path("good"));

    private static string WorkerDll => Path.Combine(AppContext.BaseDirectory, GdcmWorkerLocation.AssemblyFile);

    [Theory]
    [InlineData("seg", "decode", "PixelFormat::GetPixelSize", "Assertion `!(BitsAllocated % 8)' failed")]
    [InlineData("onebit-ct", "decode", "PixelFormat::GetPixelSize", "Assertion `!(BitsAllocated % 8)' failed")]
    [InlineData("damaged-meta", "raw", "gdcm::Reader", "Assertion `is.good()' failed")]
    public void The_crafted_file_aborts_gdcm_in_process(string kind, string probe, string where, string assertion)
    {
        var file = Make(kind);
        var r = Shell.Try($"'{GdcmWorkerLocation.DotnetHost()}' '{WorkerDll}' --probe {probe} '{file}'");
        Assert.True(r.Exit == 134, $"exit {r.Exit}: {r.Output}"); // 128 + SIGABRT
        Assert.Contains(where, r.Output);
        Assert.Contains(assertion, r.Output);
    }

    [Fact]
    public void Behind_the_worker_a_crash_costs_the_series_names_file_and_signal_and_the_next_series_reads()
    {
        var bad = _t.Path("IM0004-onebit.dcm");
        FaultFiles.OneBit(_good[3], bad, asCt: true); // slice 4 of the series with 1-bit pixels
        using var pool = new GdcmWorkerPool(1);
        var series = _good.Take(3).Append(bad).Concat(_good.Skip(4)).ToList();
        var e = Assert.Throws<GdcmCrashException>(() => DicomSeriesReader.Read(series, pool));
        Assert.Equal(6, e.Signal);
        Assert.Contains(bad, e.Message);
        Assert.Contains("SIGABRT", e.Message);
        Assert.Contains("BitsAllocated", e.Message); // the assertion text from the worker's stderr
        Assert.Contains("its series was not ingested", e.Message);
        var image = DicomSeriesReader.Read(_good, pool);
        Assert.Equal(16, image.Volume.Shape.Z);
        Assert.Equal((2, 1), (pool.Started, pool.Crashes));
    }

    [Fact]
    public void A_worker_dying_during_a_header_scan_costs_that_file_only()
    {
        // A stand-in host that dies with SIGSEGV on every request: each file is reported, none hangs, the batch ends.
        var crasher = _t.Path("crasher.sh");
        File.WriteAllText(crasher, "#!/bin/sh\nhead -c 1 >/dev/null; kill -SEGV $$\n");
        Shell.Run($"chmod +x '{crasher}'");
        using var pool = new GdcmWorkerPool(1, new GdcmWorkerLocation(crasher, []));
        var results = pool.ReadHeaders(_good.Take(3).ToList());
        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Contains("SIGSEGV (signal 11)", r.Error));
        Assert.Equal(3, pool.Crashes);
    }

    [Fact]
    public void Isolated_and_in_process_reads_are_identical()
    {
        using var pool = new GdcmWorkerPool(1);
        var a = DicomSeriesReader.Read(_good, pool);
        var b = DicomSeriesReader.Read(_good, InProcessGdcm.Instance);
        Assert.Equal(b.Volume.Geometry, a.Volume.Geometry);
        Assert.Equal(b.Volume.Data, a.Volume.Data);
        Assert.Equal(b.Metadata, a.Metadata);
    }

    private string Make(string kind)
    {
        var path = _t.Path(kind + ".dcm");
        if (!File.Exists(path))
        {
            if (kind == "damaged-meta") FaultFiles.DamagedMeta(_good[0], path);
            else FaultFiles.OneBit(_good[0], path, asCt: kind == "onebit-ct");
        }
        return path;
    }

    public void Dispose() => _t.Dispose();
}
