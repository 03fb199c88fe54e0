using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Bench.Ingest;
using Streaming.Imaging.Volumes;

namespace Streaming.Cli.Commands;

public static partial class BenchCommand
{
    /// <summary>`bench dicom-isolation`: per-series cost of reading DICOM through the crash-isolated GDCM worker.</summary>
    private static Command DicomIsolation()
    {
        var folders = new Option<string[]>("--folder") { Description = "Series folders (default: ../shared/data's DICOM series, else generated 512x512x40 series)", AllowMultipleArgumentsPerToken = true };
        var repeats = new Option<int>("--repeats") { Description = "Timed reads of each series per mode", DefaultValueFactory = _ => 5 };
        var json = CommonOptions.Json();
        var c = new Command("dicom-isolation", CommonOptions.WithExamples("DICOM series read with GDCM in-process vs through the warm worker process (ms per series, ratio)",
            "streaming bench dicom-isolation --repeats 5", "streaming bench dicom-isolation --folder /data/NLST/100004/study/series1")) { folders, repeats, json };
        c.SetAction(r =>
        {
            var temp = Path.Combine(Path.GetTempPath(), "streaming-isolation-bench-" + Environment.ProcessId);
            try
            {
                var series = Series(r.GetValue(folders), temp);
                var result = DicomIsolationBenchmark.Run(series, r.GetValue(repeats));
                Console.Out.WriteLine($"worker start (once per worker): {result.WorkerStartMs:F0} ms");
                Console.Out.WriteLine("| series | files | shape | in-process ms | isolated ms | wall ratio | in-process CPU ms | isolated CPU ms (both processes) | CPU ratio |");
                Console.Out.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|");
                foreach (var x in result.Rows)
                    Console.Out.WriteLine($"| {x.Series} | {x.Files} | {x.Shape} | {x.InProcessMs:F1} | {x.IsolatedMs:F1} | {x.Ratio:F2} | {x.InProcessCpuMs:F0} | {x.IsolatedCpuMs:F0} | {x.CpuRatio:F2} |");
                if (r.GetValue(json)) JsonSummary.Write(new { command = "bench dicom-isolation", ok = true, result.WorkerStartMs, rows = result.Rows });
                return 0;
            }
            finally { if (Directory.Exists(temp)) Directory.Delete(temp, true); }
        });
        return c;
    }

    private static List<(string, IReadOnlyList<string>)> Series(string[]? folders, string temp)
    {
        if (folders is { Length: > 0 })
            return folders.Select(f => (Path.GetFileName(f.TrimEnd('/')), (IReadOnlyList<string>)Directory.GetFiles(f).Order().ToList())).ToList();
        var shared = Path.GetFullPath(Path.Combine("..", "shared", "data", "dicom", "ct-thorax-syntaxes"));
        if (Directory.Exists(shared))
            return Directory.GetDirectories(shared).Order().Select(d => (Path.GetFileName(d), (IReadOnlyList<string>)Directory.GetFiles(d).Order().ToList())).ToList();
        var g = new VolumeGeometry(new Int3(512, 512, 40), new Vec3(0.7, 0.7, 2), new Vec3(0, 0, 0), Mat3.Identity);
        var v = new Volume<float>(g);
        for (var i = 0; i < v.Data.Length; i++) v.Data[i] = (i * 7919 % 2000) - 1000;
        return Enumerable.Range(0, 3).Select(k => ($"generated-{k}", DicomSeriesWriter.Write(Path.Combine(temp, $"s{k}"), v, new DicomSeriesWriteOptions { PatientId = "B" + k }))).ToList();
    }
}
