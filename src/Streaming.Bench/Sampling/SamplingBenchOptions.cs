using Streaming.Imaging.Volumes;
using Streaming.Sampling;

namespace Streaming.Bench.Sampling;

/// <summary>Settings of <see cref="SamplingBench"/>; defaults are vox2vec's batch on a small in-memory cache of CT phantoms.</summary>
public sealed record SamplingBenchOptions
{
    public int Volumes { get; init; } = 6;
    public Int3 VolumeShape { get; init; } = new(320, 320, 128);
    /// <summary>The shard cache's default chunk shape.</summary>
    public Int3 ChunkShape { get; init; } = new(64, 64, 16);
    public int ZstdLevel { get; init; } = 3;
    /// <summary>Timed batches per measurement (after one warm-up batch).</summary>
    public int Steps { get; init; } = 6;
    public int Workers { get; init; } = 2;
    /// <summary>Steps the simulated consumers take.</summary>
    public int ConsumerSteps { get; init; } = 16;
    /// <summary>Slow consumer's rate as a fraction of the measured worker capacity (below 1: workers keep up).</summary>
    public double SlowConsumerLoad { get; init; } = 0.6;
    /// <summary>Fast consumer's rate as a multiple of the capacity (above 1: it must wait, never hang).</summary>
    public double FastConsumerLoad { get; init; } = 4.0;
    public SamplingOptions Sampling { get; init; } = new() { Seed = 1 };

    public void Validate()
    {
        if (Volumes < 1 || Steps < 1 || Workers < 1 || ConsumerSteps < 2) throw new ArgumentException("bench: counts must be positive (consumerSteps >= 2)");
        if (!VolumeShape.AllPositive || !ChunkShape.AllPositive) throw new ArgumentException("bench: shapes must be positive");
        if (!(SlowConsumerLoad > 0 && SlowConsumerLoad < 1) || !(FastConsumerLoad > 1)) throw new ArgumentException("bench: slowConsumerLoad in (0,1), fastConsumerLoad > 1");
        Sampling.Validate();
    }
}
