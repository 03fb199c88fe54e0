using System.CommandLine;
using Streaming.Cli.Output;
using Streaming.Synth;
using Streaming.Bench.Training;
using Streaming.Training.Config;

namespace Streaming.Cli.Commands;

public static partial class BenchCommand
{
    /// <summary>Benchmarks of the later stages: phantom generation and pre-training steps.</summary>
    private static IEnumerable<Command> Extra() => [Pretrain(), Synth()];

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
