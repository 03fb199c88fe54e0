using Streaming.Sampling;
using Streaming.Sampling.Pairs;
using Streaming.Training.Models;

namespace Streaming.Training.Methods;

/// <summary>
/// Hierarchical dense SSL: FPN base 32 with 5 levels, each projected to <see cref="LevelProjectionWidth"/>, plus a
/// reconstruction of the un-augmented patch (so its sampling returns clean views by default).
/// </summary>
public sealed record HierarchicalOptions : VoxelContrastOptions
{
    public HierarchicalOptions()
    {
        Backbone = new BackboneOptions { BaseChannels = 32, Levels = 5 };
        Sampling = new SamplingOptions { IncludeClean = true, Augmentations = PaperAugmentations };
    }

    /// <summary>
    /// The paper's augmentation set and nothing else: local pixel shuffling, local in-painting and a non-linear (Bezier)
    /// intensity curve, on the fixed CT window. vox2vec's blur/sharpen, HU noise and random window are off: they would
    /// change the intensities the reconstruction head is asked to restore. The paper gives no parameter values; these
    /// follow Models Genesis (its reference [3]) and are listed with their source in docs/methods/hierarchical.md.
    /// </summary>
    public static AugmentationOptions PaperAugmentations { get; } = new()
    {
        BlurOrSharpenProbability = 0, NoiseProbability = 0, FixedWindowProbability = 1,
        LocalShuffleProbability = 0.5, InpaintProbability = 0.5, BezierProbability = 0.5,
    };

    /// <summary>Width every level is projected to before concatenation.</summary>
    public int LevelProjectionWidth { get; init; } = 32;
    /// <summary>
    /// What evaluation, <c>embed</c> and export read: the raw FPN pyramid (default; the paper's probes) or the trained
    /// projections. Training always uses the projections.
    /// </summary>
    public HierarchicalReadout Readout { get; init; } = HierarchicalReadout.Raw;
    /// <summary>total = InfoNCE + ReconstructionWeight x MSE.</summary>
    public double ReconstructionWeight { get; init; } = 10;

    public override string Name => "hierarchical";

    public override FeatureExtractor CreateFeatures() => new HierarchicalBackbone(Backbone, LevelProjectionWidth, Readout);

    public override IPretrainMethod<PairBatch> CreateMethod() => new HierarchicalMethod(this);

    public override void Validate()
    {
        base.Validate();
        if (LevelProjectionWidth < 1) throw new ArgumentException("model.levelProjectionWidth must be >= 1");
        if (!(ReconstructionWeight >= 0)) throw new ArgumentException("loss.reconstructionWeight must be >= 0");
        if (!Sampling.IncludeClean)
            throw new ArgumentException("method hierarchical reconstructs un-augmented patches: set sampling.includeClean: true");
    }
}
