using Streaming.Imaging.Volumes;
using Streaming.Sampling;

namespace Streaming.Training.Config;

/// <summary>The <c>sampling:</c> section of pair methods (vox2vec, hierarchical) as written; null = keep the method's default.</summary>
public sealed class PairSamplingYaml
{
    public int[]? PatchShape { get; set; }
    public int? VolumesPerBatch { get; set; }
    public int? PairsPerVolume { get; set; }
    public int? PositionsPerPair { get; set; }
    public Dictionary<string, double>? DatasetWeights { get; set; }
    public long? Seed { get; set; }
    public bool? IncludeClean { get; set; }
    /// <summary>Bound straight onto the record: a key left out keeps <see cref="AugmentationOptions"/>'s default.</summary>
    public AugmentationOptions? Augmentations { get; set; }

    public SamplingOptions Overlay(SamplingOptions d) => d with
    {
        PatchShape = PatchShape is null ? d.PatchShape : PatchShape is [var x, var y, var z] ? new Int3(x, y, z)
            : throw new ArgumentException("sampling.patchShape must be [x, y, z]"),
        VolumesPerBatch = VolumesPerBatch ?? d.VolumesPerBatch,
        PairsPerVolume = PairsPerVolume ?? d.PairsPerVolume,
        PositionsPerPair = PositionsPerPair ?? d.PositionsPerPair,
        DatasetWeights = DatasetWeights ?? d.DatasetWeights,
        Seed = Seed ?? d.Seed,
        IncludeClean = IncludeClean ?? d.IncludeClean,
        Augmentations = Augmentations ?? d.Augmentations,
    };

    public static PairSamplingYaml From(SamplingOptions s) => new()
    {
        PatchShape = [s.PatchShape.X, s.PatchShape.Y, s.PatchShape.Z], VolumesPerBatch = s.VolumesPerBatch, PairsPerVolume = s.PairsPerVolume,
        PositionsPerPair = s.PositionsPerPair, DatasetWeights = s.DatasetWeights.Count == 0 ? null : new Dictionary<string, double>(s.DatasetWeights), Seed = s.Seed,
        IncludeClean = s.IncludeClean, Augmentations = s.Augmentations,
    };
}
