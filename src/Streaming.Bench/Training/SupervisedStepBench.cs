using System.Diagnostics;
using System.Globalization;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Labeled;
using Streaming.Training.Logging;
using Streaming.Training.Loop;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Bench.Training;

/// <summary>One timed supervised configuration: wall and process CPU seconds per complete step.</summary>
public sealed record SupervisedBenchCase(string Name, int Threads, int Batch, Int3 Shape, int BaseChannels, string Auxiliary,
    double MeanStepSeconds, double MinStepSeconds, double CpuSecondsPerStep, int TimedSteps, long PeakRssBytes, long Parameters);

/// <summary>
/// CPU step time of the supervised U-Net methods for <c>bench supervised</c>: one complete step (U-Net forward, soft
/// Dice, hard-voxel sampling and auxiliary loss on each exposed level, backward, Adam with weight decay) on synthetic
/// labeled volumes (boxes of 8 classes), so no cache is needed. Process CPU time is reported next to wall time: on a
/// shared machine it is the steadier of the two.
/// </summary>
public static class SupervisedStepBench
{
    public static SupervisedBenchCase Time(VoxelSimSiamOptions o, Int3 shape, int batch, int threads, int warmup, int timed, string? name = null)
    {
        var before = get_num_threads();
        set_num_threads(threads);
        try
        {
            manual_seed(0);
            using var method = new VoxelSimSiamMethod(o);
            method.Model.train();
            var parameters = method.Model.parameters().ToList();
            using var opt = optim.Adam(parameters, lr: 1e-3, beta1: AdamFactory.Beta1, beta2: AdamFactory.Beta2, eps: AdamFactory.Eps, weight_decay: 1e-5);
            var wall = new List<double>();
            var cpu = TimeSpan.Zero;
            for (var s = 0; s < warmup + timed; s++)
            {
                var b = Batch(s, shape, batch, o.UNet.Classes);
                var proc = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                using (var scope = NewDisposeScope())
                {
                    opt.zero_grad();
                    method.Forward(b, CPU).Total.backward();
                    opt.step();
                }
                if (s < warmup) continue;
                wall.Add(sw.Elapsed.TotalSeconds);
                cpu += Process.GetCurrentProcess().TotalProcessorTime - proc;
            }
            var label = name ?? $"{(o.Auxiliary == AuxiliaryLoss.None ? "unet" : $"{o.Auxiliary.ToString().ToLowerInvariant()}-{o.FeatureLevels}")}";
            return new SupervisedBenchCase(label, threads, batch, shape, o.UNet.BaseChannels, o.Auxiliary.ToString(), wall.Average(), wall.Min(),
                cpu.TotalSeconds / timed, timed, MemoryProbe.PeakRssBytes(), parameters.Sum(p => p.numel()));
        }
        finally { set_num_threads(before); }
    }

    /// <param name="baseline">The plain U-Net of the same run: the CPU time ratio says what the auxiliary loss costs.</param>
    public static string Format(SupervisedBenchCase r, SupervisedBenchCase? baseline = null) => string.Create(CultureInfo.InvariantCulture,
        $"| {r.Name} | {r.Shape} x {r.Batch} | {r.BaseChannels} | {r.Threads} | {r.MeanStepSeconds:F2} | {r.MinStepSeconds:F2} | {r.CpuSecondsPerStep:F2} | " +
        $"{(baseline is null ? "–" : (r.CpuSecondsPerStep / baseline.CpuSecondsPerStep).ToString("F2", CultureInfo.InvariantCulture))} | {r.TimedSteps} | {r.Parameters:N0} | {r.PeakRssBytes >> 20} |");

    public const string Header = "| case | volume x batch | U-Net width | threads | mean s/step | min s/step | CPU s/step | CPU vs unet | steps | parameters | peak RSS MiB |\n" +
                                 "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    /// <summary>Blocks of classes 1..K-1 on a background of 0, the image their label / K plus noise; a pure function of the step.</summary>
    private static LabeledBatch Batch(long step, Int3 s, int n, int classes)
    {
        var rng = new Random((int)step + 1);
        var images = new float[s.Volume * n];
        var labels = new byte[s.Volume * n];
        for (var b = 0; b < n; b++)
            for (var c = 1; c < classes; c++)
            {
                int w = Math.Max(2, s.X / 6), h = Math.Max(2, s.Y / 6), d = Math.Max(2, s.Z / 6);
                int x0 = rng.Next(s.X - w), y0 = rng.Next(s.Y - h), z0 = rng.Next(s.Z - d);
                for (var z = z0; z < z0 + d; z++) for (var y = y0; y < y0 + h; y++) for (var x = x0; x < x0 + w; x++)
                    labels[b * s.Volume + s.Index(x, y, z)] = (byte)c;
            }
        for (var i = 0; i < images.Length; i++) images[i] = labels[i] / (float)classes + 0.1f * (float)(rng.NextDouble() - 0.5);
        return new LabeledBatch { Step = step, Items = n, PatchShape = s, Images = images, Labels = labels, VolumeIds = Enumerable.Repeat("synthetic", n).ToArray() };
    }
}
