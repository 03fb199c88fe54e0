using System.CommandLine;
using System.Globalization;
using Streaming.Bench.Ingest;
using Streaming.Cli.Output;
using Streaming.Imaging.Volumes;

namespace Streaming.Cli.Commands;

public static partial class BenchCommand
{
    /// <summary>Benchmarks of single ingest kernels: preprocessing, shard write/read, NIfTI and DICOM reading.</summary>
    private static IEnumerable<Command> Kernels() => [Preprocess(), Shards(), Read()];

    /// <summary>Bad input (a path that is not a volume, a malformed shape) is one line, not a stack trace.</summary>
    private static int Guarded(string command, Func<int> run)
    {
        try { return run(); }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException or UnauthorizedAccessException)
        {
            Log.Error($"{command}: {e.Message}");
            return 1;
        }
    }

    private static Int3 Shape(string s) => Int3.FromArray(s.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray());

    private static Command Preprocess()
    {
        var shape = new Option<string>("--shape") { Description = "Phantom shape x,y,z at 0.7x0.7x1.25 mm", DefaultValueFactory = _ => "512,512,300" };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs (the first, warm-up, is not counted)", DefaultValueFactory = _ => 3 };
        var workers = new Renamed<int>(new Option<int>("--workers") { Description = "Preprocessing parallelism (threads of the resampler and stages)", DefaultValueFactory = _ => 1 }, "--threads");
        var json = CommonOptions.Json();
        var c = new Command("preprocess", CommonOptions.WithExamples("Preprocessing of one CT phantom to 1x1x2 mm: wall ms per volume and per stage",
            "streaming bench preprocess --shape 512,512,300 --workers 2")) { shape, repeats, json };
        workers.AddTo(c);
        c.SetAction(r => Guarded("bench preprocess", () =>
        {
            var x = PreprocessBench.Run(Shape(r.GetValue(shape)!), repeats: r.GetValue(repeats), maxDegreeOfParallelism: workers.Get(r));
            var t = x.Timings;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{x.InputShape} -> {x.ResampledShape} -> {x.OutputShape}: {x.MsPerVolume(x.Wall):F0} ms/volume (intensity {x.MsPerVolume(t.Intensity):F0}, resample {x.MsPerVolume(t.Resample):F0}, body {x.MsPerVolume(t.Body):F0}, crop {x.MsPerVolume(t.Crop):F0}, stats {x.MsPerVolume(t.Stats):F0})"));
            if (r.GetValue(json)) JsonSummary.Write(new { command = "bench preprocess", ok = true, msPerVolume = x.MsPerVolume(x.Wall) });
            return 0;
        }));
        return c;
    }

    private static Command Shards()
    {
        var shape = new Option<string>("--shape") { Description = "Phantom shape x,y,z at 1x1x2 mm", DefaultValueFactory = _ => "384,384,160" };
        var levels = new Option<string>("--levels") { Description = "Comma-separated Zstd levels", DefaultValueFactory = _ => "1,3,9" };
        var reads = new Option<int>("--reads") { Description = "Random 128x128x32 region reads per level", DefaultValueFactory = _ => 50 };
        var work = new Option<string>("--work") { Description = "Scratch folder for the shards written", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "streaming-bench-shards") };
        var json = CommonOptions.Json();
        var c = new Command("shards", CommonOptions.WithExamples("Shard write time and size per Zstd level, and random patch reads",
            "streaming bench shards --levels 1,3 --reads 20")) { shape, levels, reads, work, json };
        c.SetAction(r => Guarded("bench shards", () =>
        {
            var results = ShardBench.Run(r.GetValue(work)!, Shape(r.GetValue(shape)!),
                r.GetValue(levels)!.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToList(), r.GetValue(reads));
            foreach (var x in results) Console.Out.WriteLine(x.ToString());
            if (r.GetValue(json)) JsonSummary.Write(new { command = "bench shards", ok = true, results = results.Select(x => x.ToString()) });
            return 0;
        }));
        return c;
    }

    private static Command Read()
    {
        var target = new Argument<string>("path") { Description = "A .nii/.nii.gz file, or a folder holding DICOM files (its largest series)" };
        var repeats = new Option<int>("--repeats") { Description = "Timed reads", DefaultValueFactory = _ => 3 };
        var json = CommonOptions.Json();
        var c = new Command("read", CommonOptions.WithExamples("Read speed of one NIfTI file (against plain gzip) or one DICOM series",
            "streaming bench read ../shared/data/nifti/ct-abdomen-3mm/image.nii.gz", "streaming bench read /data/NLST/100004/study/series1")) { target, repeats, json };
        c.SetAction(r => Guarded("bench read", () =>
        {
            var path = r.GetValue(target)!;
            string line;
            if (Directory.Exists(path))
            {
                var x = DicomReadBenchmark.Run(path, r.GetValue(repeats));
                line = string.Create(CultureInfo.InvariantCulture,
                    $"{x.SeriesKey}: {x.Files} files {x.Shape}, scan {x.ScanSeconds:F2} s, read median {x.MedianReadSeconds:F2} s (min {x.MinReadSeconds:F2} s), {x.MegavoxelsPerSecond:F1} Mvoxel/s, {x.FileMegabytesPerSecond:F1} MB/s of files");
            }
            else line = NiftiReadBenchmark.Run(path, r.GetValue(repeats)).ToString();
            Console.Out.WriteLine(line);
            if (r.GetValue(json)) JsonSummary.Write(new { command = "bench read", ok = true, result = line });
            return 0;
        }));
        return c;
    }
}
