using System.Diagnostics;
using System.Globalization;
using System.Text;
using Streaming.Imaging.Volumes;
using Streaming.Training.Config;
using Streaming.Sampling;
using Streaming.Sampling.Pairs;
using Streaming.Training.Logging;
using Streaming.Training.Loop;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Bench.Training;

/// <summary>One timed configuration.</summary>
public sealed record PretrainBenchCase(string Name, int Threads, int Pairs, Int3 Patch, int Positions, int RepresentationDim,
    double MeanStepSeconds, double MinStepSeconds, int TimedSteps, long PeakRssBytes, long Parameters = 0);

/// <summary>Settings of <see cref="PretrainBench.Run"/>.</summary>
public sealed record PretrainBenchOptions
{
    /// <summary>Pairs per step of the full-size case; 1 pair = 2 patches through the backbone.</summary>
    public int FullPairs { get; init; } = 1;
    public Int3 FullPatch { get; init; } = new(128, 128, 32);
    public int FullPositions { get; init; } = 1000;
    public int[] ThreadCounts { get; init; } = [1, 2];
    public int WarmupSteps { get; init; } = 1;
    public int TimedSteps { get; init; } = 3;
    /// <summary>The small demo configuration (pipelines/vox2vec-demo-cpu.yaml); null skips it.</summary>
    public PretrainConfig? Demo { get; init; }
    public int DemoTimedSteps { get; init; } = 20;
}

/// <summary>
/// CPU step-time benchmark for <c>bench pretrain</c>: full vox2vec FPN (base 16, 6 levels) on 128x128x32 patches at
/// each thread count, and the demo config; pairs from an in-memory CT phantom (<see cref="BenchPhantoms"/>), so it needs
/// no cache. Steps are complete
/// (forward, InfoNCE, backward, clipping, Adam). Peak RSS is the process high-water mark after each case.
/// </summary>
public static class PretrainBench
{
    public static IReadOnlyList<PretrainBenchCase> Run(PretrainBenchOptions o, TextWriter? log = null)
    {
        var results = new List<PretrainBenchCase>();
        var full = new Vox2VecOptions { Backbone = new BackboneOptions { BaseChannels = 16, Levels = 6 } };
        foreach (var threads in o.ThreadCounts)
        {
            var r = Time($"vox2vec FPN 16x6, {o.FullPairs} pair(s) = {2 * o.FullPairs} patches {o.FullPatch.X}x{o.FullPatch.Y}x{o.FullPatch.Z}",
                full, threads, o.FullPairs, o.FullPatch, o.FullPositions, 3e-4, 1.0, o.WarmupSteps, o.TimedSteps);
            log?.WriteLine(Format(r));
            results.Add(r);
        }
        if (o.Demo is { Method: VoxelContrastOptions m } d)
        {
            var r = Time($"demo ({m.Name} base {m.Backbone.BaseChannels} x {m.Backbone.Levels})", m,
                d.Threads > 0 ? d.Threads : get_num_threads(), m.Sampling.VolumesPerBatch * m.Sampling.PairsPerVolume,
                m.Sampling.PatchShape, m.Sampling.PositionsPerPair, d.LearningRate, d.GradClip, o.WarmupSteps, o.DemoTimedSteps);
            log?.WriteLine(Format(r));
            results.Add(r);
        }
        return results;
    }

    public static string Format(PretrainBenchCase r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Name}, {r.Threads} thread(s), {r.Positions} positions/pair, {r.RepresentationDim} dims: mean {r.MeanStepSeconds:F3} s/step, min {r.MinStepSeconds:F3} s over {r.TimedSteps} steps; peak RSS {r.PeakRssBytes >> 20} MiB; {r.Parameters:N0} parameters (backbone + head)");

    public static string Table(IEnumerable<PretrainBenchCase> cases)
    {
        var sb = new StringBuilder();
        foreach (var c in cases) sb.AppendLine(Format(c));
        return sb.ToString();
    }

    private static PretrainBenchCase Time(string name, PairMethodOptions m, int threads, int pairs, Int3 patch, int positions,
        double lr, double clip, int warmup, int timed)
    {
        int before = get_num_threads();
        set_num_threads(threads);
        try
        {
            manual_seed(0);
            using var method = m.CreateMethod();
            method.Model.train();
            var parameters = method.Model.parameters().ToList();
            using var opt = AdamFactory.Create(parameters, lr);
            using var source = PhantomPairs(patch, pairs, positions, includeClean: m.Sampling.IncludeClean);
            var times = new List<double>();
            for (int s = 0; s < warmup + timed; s++)
            {
                var batch = source.Batch(s);
                var sw = Stopwatch.StartNew();
                TrainStep.Run(method, opt, parameters, batch, CPU, clip);
                if (s >= warmup) times.Add(sw.Elapsed.TotalSeconds);
            }
            return new PretrainBenchCase(name, threads, pairs, patch, positions, method.Features.RepresentationDim,
                times.Average(), times.Min(), timed, MemoryProbe.PeakRssBytes(), parameters.Sum(p => p.numel()));
        }
        finally { set_num_threads(before); }
    }

    /// <summary>The real pair sampler over one CT phantom twice the patch in each direction (only the step is timed).</summary>
    private static Vox2VecPairSource PhantomPairs(Int3 patch, int pairs, int positions, bool includeClean)
    {
        var store = BenchPhantoms.Store("phantom", "bench", new Int3(2 * patch.X, 2 * patch.Y, 2 * patch.Z), new Vec3(1, 1, 2), seed: 1,
            chunkShape: new Int3(64, 64, 16), zstdLevel: 1);
        var sampling = new SamplingOptions
        {
            PatchShape = patch, VolumesPerBatch = pairs, PairsPerVolume = 1, PositionsPerPair = positions, Seed = 0, IncludeClean = includeClean,
        };
        return new Vox2VecPairSource([store.Info], _ => store.Open(), sampling);
    }
}
