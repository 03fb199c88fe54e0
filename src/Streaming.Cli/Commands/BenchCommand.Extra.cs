using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Bench.Synth;
using Streaming.Bench.Training;
using Streaming.Training.Config;

namespace Streaming.Cli.Commands;

public static partial class BenchCommand
{
    /// <summary>Benchmarks of the later stages: phantom generation and pre-training steps.</summary>
    private static IEnumerable<Command> Extra() => [Pretrain(), Synth(), DicomIsolation(), Sal(), Context(), Supervised()];

    private static Command Pretrain()
    {
        var threads = new Option<string>("--threads") { Description = "Comma-separated torch thread counts for the full-size FPN", DefaultValueFactory = _ => "1,2" };
        var steps = new Option<int>("--steps") { Description = "Timed steps of the full-size FPN per thread count", DefaultValueFactory = _ => 3 };
        var demo = new Option<string?>("--demo-config") { Description = "Also time this small config", DefaultValueFactory = _ => CommonOptions.Pipelines("vox2vec-demo-cpu.yaml") };
        var json = CommonOptions.Json();
        var c = new Command("pretrain", CommonOptions.WithExamples("CPU step time of the full vox2vec FPN (1 pair = 2 patches 128x128x32) and of the demo config; peak memory",
            "streaming bench pretrain --threads 1,2 --steps 3 --json")) { threads, steps, demo, json };
        c.SetAction(r =>
        {
            var cases = PretrainBench.Run(new PretrainBenchOptions
            {
                ThreadCounts = r.GetValue(threads)!.Split(',').Select(int.Parse).ToArray(),
                TimedSteps = r.GetValue(steps),
                Demo = r.GetValue(demo) is { } d ? PretrainConfigLoader.Load(d) : null,
            }, Console.Error);
            Console.Out.WriteLine("| case | threads | mean s/step | min s/step | steps | dims | parameters | peak RSS MiB |");
            Console.Out.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var x in cases)
                Console.Out.WriteLine($"| {x.Name} | {x.Threads} | {x.MeanStepSeconds:F3} | {x.MinStepSeconds:F3} | {x.TimedSteps} | {x.RepresentationDim} | {x.Parameters:N0} | {x.PeakRssBytes >> 20} |");
            if (r.GetValue(json)) JsonSummary.Write(new { command = "bench pretrain", ok = true, cases });
            return 0;
        });
        return c;
    }

    private static Command Sal()
    {
        var config = new Option<string>("--config") { Description = "The SAL config whose model, loss and slices are timed", DefaultValueFactory = _ => "pipelines/sal-demo-cpu.yaml" };
        var batches = new Option<int>("--batches") { Description = "Slice batches timed per case", DefaultValueFactory = _ => 40 };
        var steps = new Option<int>("--steps") { Description = "Training steps timed per case", DefaultValueFactory = _ => 5 };
        var workers = new Option<int>("--workers") { Description = "Prefetch workers of the parallel run", DefaultValueFactory = _ => 2 };
        var threads = new Option<int>("--threads") { Description = "torch threads of the training steps", DefaultValueFactory = _ => 1 };
        var volume = new Option<string>("--volume-shape") { Description = "x,y,z of the in-memory volumes (cached phantoms of ct-fixedfov-4mm: 96,96,80)", DefaultValueFactory = _ => "96,96,80" };
        var chunk = new Option<string>("--chunk-shape") { Description = "x,y,z of their chunks", DefaultValueFactory = _ => "48,48,4" };
        var json = CommonOptions.Json();
        var c = new Command("sal", CommonOptions.WithExamples("SAL slice batches/s per core and with N workers, decoded bytes per slice (grouped vs per-slice reads), step time vs PCL",
            "streaming bench sal --config pipelines/sal-demo-cpu.yaml --workers 2 --threads 1")) { config, batches, steps, workers, threads, volume, chunk, json };
        c.SetAction(r =>
        {
            var cfg = PretrainConfigLoader.Load(r.GetValue(config)!);
            if (cfg.Method is not Streaming.Training.Methods.Sal.SalOptions sal) throw new ArgumentException($"{r.GetValue(config)}: not a SAL config (method {cfg.Method.Name})");
            var rows = SalBench.Run(new SalBenchOptions
            {
                Method = sal, SampleBatches = r.GetValue(batches), TrainSteps = r.GetValue(steps), Workers = r.GetValue(workers), Threads = r.GetValue(threads),
                VolumeShape = Shape(r.GetValue(volume)!, "--volume-shape"), ChunkShape = Shape(r.GetValue(chunk)!, "--chunk-shape"),
            }, Console.Error);
            Console.Out.WriteLine(Streaming.Bench.BenchTable.ToMarkdown(rows));
            if (r.GetValue(json)) JsonSummary.Write(new { command = "bench sal", ok = true, rows });
            return 0;
        });
        return c;
    }

    private static Streaming.Imaging.Volumes.Int3 Shape(string text, string option) =>
        text.Split(',') is [var x, var y, var z] && int.TryParse(x, out var a) && int.TryParse(y, out var b) && int.TryParse(z, out var d)
            ? new(a, b, d) : throw new ArgumentException($"{option} takes x,y,z, got '{text}'");

    private static Command Synth()
    {
        var volumes = new Option<int>("--volumes") { Description = "Full-size phantoms generated per run", DefaultValueFactory = _ => 4 };
        var workers = new Renamed<string>(new Option<string>("--workers") { Description = "Comma-separated worker counts to time", DefaultValueFactory = _ => "1,2" }, "--parallel");
        var json = CommonOptions.Json();
        var c = new Command("synth", CommonOptions.WithExamples("Full-size phantom generation speed (volumes per minute) at each worker count",
            "streaming bench synth --volumes 8 --workers 1,2")) { volumes, json };
        workers.AddTo(c);
        c.SetAction(r =>
        {
            var results = workers.Get(r)!.Split(',').Select(int.Parse)
                .Select(p => SynthBenchmark.Run(Path.GetTempPath(), r.GetValue(volumes), p)).ToList();
            foreach (var x in results) Console.Out.WriteLine(x.ToString());
            if (r.GetValue(json)) JsonSummary.Write(new { command = "bench synth", ok = true, results });
            return 0;
        });
        return c;
    }
}
