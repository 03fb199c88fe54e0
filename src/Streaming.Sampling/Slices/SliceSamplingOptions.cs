using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Slices;

/// <summary>An in-plane extent (x, y) in voxels.</summary>
public readonly record struct PlaneShape(int X, int Y)
{
    public int Area => X * Y;
    public bool AllPositive => X > 0 && Y > 0;
    public override string ToString() => $"{X}x{Y}";
}

/// <summary>
/// How SAL's slices are drawn (the <c>sampling:</c> section of <c>method: sal</c>): per step VolumesPerBatch volumes
/// of different subjects, SlicesPerVolume distinct axial slices of each, an in-plane window of SliceShape shared by a
/// volume's slices, and two views per slice shifted by up to MaxShift voxels each and augmented independently.
/// Immutable; <see cref="Validate"/> at the boundary.
/// </summary>
public sealed record SliceSamplingOptions
{
    /// <summary>The paper samples two scans of different subjects per iteration.</summary>
    public int VolumesPerBatch { get; init; } = 2;
    /// <summary>S: slices drawn from each volume (distinct when the volume has at least S).</summary>
    public int SlicesPerVolume { get; init; } = 8;
    /// <summary>In-plane window (x, y); a volume smaller than it is padded (CT air, MR 0), centred.</summary>
    public PlaneShape SliceShape { get; init; } = new(128, 128);
    /// <summary>Each view's window is shifted by a uniform integer in [-MaxShift, MaxShift] voxels per axis.</summary>
    public int MaxShift { get; init; } = 4;
    /// <summary>Dataset name -> mixing weight; empty = proportional to volume count.</summary>
    public IReadOnlyDictionary<string, double> DatasetWeights { get; init; } = NoWeights;
    // One shared empty default, so options records with default weights compare equal.
    private static readonly IReadOnlyDictionary<string, double> NoWeights = new Dictionary<string, double>();
    /// <summary>Seed of the batch keys; null = the run's seed in pre-training (0 for a source used on its own).</summary>
    public long? Seed { get; init; }
    /// <summary>
    /// Per-view intensity augmentation on each slice (vox2vec's in-plane blur or sharpen, noise, window; the
    /// hierarchical transforms stay off unless set). The only spatial augmentation is the shift: flips or rotations
    /// would misalign the windows the local alignment compares.
    /// </summary>
    public AugmentationOptions Augmentations { get; init; } = new();

    public SlotOptions Slots => new(Seed ?? 0, VolumesPerBatch, DatasetWeights);

    /// <summary>What the network sees: the fixed window of the augmentations, or raw intensities when they are off.</summary>
    public InputScaling InputScaling => Augmentations.Enabled ? Augmentations.FixedWindow() : InputScaling.Identity;

    public void Validate()
    {
        if (VolumesPerBatch < 1) throw new ArgumentException("sampling.volumesPerBatch must be >= 1");
        if (SlicesPerVolume < 1) throw new ArgumentException("sampling.slicesPerVolume must be >= 1");
        if (!SliceShape.AllPositive) throw new ArgumentException($"sampling.sliceShape {SliceShape} must be positive");
        if (MaxShift < 0) throw new ArgumentException("sampling.maxShift must be >= 0");
        if ((long)VolumesPerBatch * SlicesPerVolume * SliceShape.Area > Array.MaxLength)
            throw new ArgumentException($"sampling: {VolumesPerBatch * SlicesPerVolume} slices of {SliceShape} do not fit one array");
        Slots.Validate();
        Augmentations.Validate();
    }
}
