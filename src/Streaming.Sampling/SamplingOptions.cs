using Streaming.Imaging.Volumes;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling;

/// <summary>How vox2vec pairs are drawn (section 3.1 defaults). Immutable; validated by <see cref="Validate"/>.</summary>
public sealed record SamplingOptions
{
    public Int3 PatchShape { get; init; } = new(128, 128, 32);
    /// <summary>n: different volumes per batch (the paper); the reference code instead draws all pairs from one volume.</summary>
    public int VolumesPerBatch { get; init; } = 10;
    public int PairsPerVolume { get; init; } = 1;
    /// <summary>m: positive voxel pairs per patch pair.</summary>
    public int PositionsPerPair { get; init; } = 1000;
    /// <summary>Dataset name -> mixing weight; empty = proportional to volume count.</summary>
    public IReadOnlyDictionary<string, double> DatasetWeights { get; init; } = NoWeights;

    // One shared empty default, so options records with default weights compare equal.
    private static readonly IReadOnlyDictionary<string, double> NoWeights = new Dictionary<string, double>();
    /// <summary>Seed of the batch keys; null = the run's seed in pre-training (0 for a source used on its own).</summary>
    public long? Seed { get; init; }
    /// <summary>Also return the un-augmented crops (reconstruction targets).</summary>
    public bool IncludeClean { get; init; }
    public AugmentationOptions Augmentations { get; init; } = new();

    /// <summary>What the source core needs: one slot per volume of the batch.</summary>
    public SlotOptions Slots => new(Seed ?? 0, VolumesPerBatch, DatasetWeights);

    /// <summary>What the network sees: the fixed window of the augmentations, or raw intensities when they are off.</summary>
    public InputScaling InputScaling => Augmentations.Enabled ? Augmentations.FixedWindow() : InputScaling.Identity;

    public void Validate()
    {
        if (!PatchShape.AllPositive) throw new ArgumentException("sampling.patchShape must be positive");
        if (VolumesPerBatch < 1 || PairsPerVolume < 1) throw new ArgumentException("sampling: volumesPerBatch and pairsPerVolume must be >= 1");
        if (PositionsPerPair < 1) throw new ArgumentException("sampling.positionsPerPair must be >= 1");
        Slots.Validate();
        Augmentations.Validate();
    }
}

/// <summary>Where sampling runs and how far ahead it works.</summary>
public sealed record PrefetchOptions
{
    public int Workers { get; init; } = 2;
    /// <summary>Bound of the queue between workers and the consumer (batches).</summary>
    public int Capacity { get; init; } = 8;

    public void Validate()
    {
        if (Workers < 1) throw new ArgumentException("prefetch.workers must be >= 1");
        if (Capacity < 1) throw new ArgumentException("prefetch.capacity must be >= 1");
    }
}
