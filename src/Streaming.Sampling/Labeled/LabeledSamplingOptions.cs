using Streaming.Imaging.Volumes;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Labeled;

/// <summary>
/// How labeled batches are drawn from the cache (the <c>sampling:</c> section of the supervised methods). Defaults are
/// voxel-level SimSiam's: 4 whole 128 x 128 x 64 volumes per step (the spec's targetShape), the soft-tissue CT window.
/// </summary>
public sealed record LabeledSamplingOptions
{
    /// <summary>Volumes per batch (one item each).</summary>
    public int VolumesPerBatch { get; init; } = 4;
    /// <summary>Item extent (x, y, z). A volume of exactly this shape is used whole; a larger one gives a patch, a
    /// smaller one is padded (image with air / 0, labels with background).</summary>
    public Int3 PatchShape { get; init; } = new(128, 128, 64);
    /// <summary>Share of patches centred on a foreground voxel of a uniformly drawn class (the rest uniform).</summary>
    public double ForegroundFraction { get; init; } = 0.5;
    /// <summary>Window applied to cached intensities (CT: [-200, 250] HU → [0, 1]; MR configs set identity).</summary>
    public InputScaling InputScaling { get; init; } = new(-200, 250);
    /// <summary>Label ids kept as classes; every other id becomes background. Empty = all labels as cached.</summary>
    public IReadOnlyList<int> KeepLabels { get; init; } = [];
    public IReadOnlyDictionary<string, double> DatasetWeights { get; init; } = NoWeights;
    /// <summary>Seed of the batch keys; null = the run's seed.</summary>
    public long? Seed { get; init; }

    private static readonly IReadOnlyDictionary<string, double> NoWeights = new Dictionary<string, double>();

    public SlotOptions Slots => new(Seed ?? 0, VolumesPerBatch, DatasetWeights);

    public void Validate()
    {
        if (VolumesPerBatch < 1) throw new ArgumentException("sampling.volumesPerBatch must be >= 1");
        if (!PatchShape.AllPositive) throw new ArgumentException("sampling.patchShape must be positive");
        if (!(ForegroundFraction is >= 0 and <= 1)) throw new ArgumentException("sampling.foregroundFraction must be in [0, 1]");
        InputScaling.Validate();
        if (KeepLabels.Any(l => l is < 1 or > 255)) throw new ArgumentException("sampling.keepLabels must be label ids in 1..255");
        Slots.Validate();
    }

    /// <summary>Label id → class id (identity, or 0 for ids not kept).</summary>
    public byte[] LabelMap()
    {
        var map = new byte[256];
        for (var i = 0; i < 256; i++) map[i] = KeepLabels.Count == 0 || KeepLabels.Contains(i) ? (byte)i : (byte)0;
        return map;
    }
}
