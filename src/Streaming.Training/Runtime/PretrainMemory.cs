using Streaming.Imaging.Volumes;
using Streaming.Training.Config;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Training.Runtime;

/// <summary>
/// Peak host memory of a pre-training run, from its config alone (before any shard is read): the runtime, the
/// parameters with their gradients and Adam moments, the network's activations for one batch, the prefetched batches
/// and the workers' decoded-chunk caches. Activations dominate for real patch sizes; their factor was measured
/// (docs/benchmarks.md, "Memory estimate"): peak RSS minus the runtime of CPU runs, divided by
/// (patches x voxels x feature channels summed over levels / level volume), per float.
/// </summary>
public static class PretrainMemory
{
    /// <summary>.NET + TorchSharp + libtorch and allocator slack (the launcher keeps up to 256 MiB of freed heap).</summary>
    public const long RuntimeBytes = 384L << 20;

    /// <summary>Floats kept per feature-map value through forward and backward (convolutions, norms, activations, gradients).</summary>
    public const double ActivationFloatsPerFeature = 44;

    /// <summary>Readers a prefetch worker keeps open and decoded chunks each caches (Sampling's SourceCore, CacheVolumeSet).</summary>
    public const int ReadersPerWorker = 32, ChunksPerReader = 64;

    /// <summary>Estimate for <paramref name="cfg"/> reading <paramref name="volumes"/> cached volumes stored in chunks of <paramref name="chunkShape"/>.</summary>
    public static MemoryEstimate Of(PretrainConfig cfg, Int3 chunkShape, int volumes)
    {
        ArgumentNullException.ThrowIfNull(cfg);
        long parameters;
        IReadOnlyList<FeatureLevel> levels;
        using (no_grad())
        {
            using var model = cfg.Method.Accept(new ModelSize());
            parameters = model.Parameters;
            levels = model.Levels;
        }
        return Of(cfg, chunkShape, volumes, parameters, levels);
    }

    public static MemoryEstimate Of(PretrainConfig cfg, Int3 chunkShape, int volumes, long parameters, IReadOnlyList<FeatureLevel> levels)
    {
        ArgumentNullException.ThrowIfNull(cfg);
        ArgumentNullException.ThrowIfNull(levels);
        var m = cfg.Method;
        var patch = m.PatchShape;
        double voxels = (double)patch.X * patch.Y * patch.Z;
        int patches = m.PatchesPerBatch;
        double featureValues = levels.Sum(l => l.Channels * voxels / ((double)l.Stride.X * l.Stride.Y * l.Stride.Z));
        bool onHost = DeviceSpec.Parse(cfg.Device) == "cpu";
        var parts = new List<MemoryPart> { new("runtime", RuntimeBytes, ".NET, TorchSharp, libtorch") };
        if (onHost)
        {
            parts.Add(new("model activations", (long)(patches * featureValues * ActivationFloatsPerFeature * sizeof(float)),
                $"{patches} patches of {patch.X}x{patch.Y}x{patch.Z} through {levels.Count} levels ({MemoryPart.N(levels.Sum(l => l.Channels))} channels)"));
            parts.Add(new("parameters", parameters * 4L * sizeof(float), $"{MemoryPart.N(parameters)} with gradients and Adam moments"));
        }
        int inFlight = cfg.Prefetch.Capacity + cfg.Prefetch.Workers + 1; // queued, being built, being trained on
        parts.Add(new("prefetched batches", (long)(inFlight * (double)patches * voxels * sizeof(float)),
            $"{inFlight} batches in flight (prefetch capacity {cfg.Prefetch.Capacity} + {cfg.Prefetch.Workers} workers + 1) of {patches} patches"));
        long chunkVoxels = (long)chunkShape.X * chunkShape.Y * chunkShape.Z;
        int readers = Math.Min(ReadersPerWorker, Math.Max(1, volumes));
        parts.Add(new("chunk caches", cfg.Prefetch.Workers * (long)readers * ChunksPerReader * chunkVoxels * (sizeof(float) + 1),
            $"{cfg.Prefetch.Workers} workers x {readers} open volumes x {ChunksPerReader} decoded chunks of {chunkShape.X}x{chunkShape.Y}x{chunkShape.Z}"));
        return new MemoryEstimate(parts);
    }

    /// <summary>Builds the method's model once to count its parameters and read its feature levels.</summary>
    private sealed class ModelSize : Methods.IMethodVisitor<ModelSize.Size>
    {
        public Size Visit<TBatch>(Methods.MethodOptions<TBatch> method) where TBatch : Sampling.IBatch
        {
            var m = method.CreateMethod();
            return new Size(m, m.Model.parameters().Sum(p => p.numel()), m.Features.Levels.ToList());
        }

        public sealed record Size(IDisposable Owner, long Parameters, IReadOnlyList<FeatureLevel> Levels) : IDisposable
        {
            public void Dispose() => Owner.Dispose();
        }
    }
}
