using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Labeled;
using Streaming.Sampling.Sources;
using Streaming.Training.Losses;
using Streaming.Training.Models;

namespace Streaming.Training.Methods;

/// <summary>The auxiliary voxel-level loss added to soft Dice.</summary>
public enum AuxiliaryLoss
{
    /// <summary>Plain 3-D U-Net (λ = 0): soft Dice alone.</summary>
    None,
    /// <summary>Class-conditional SimSiam (voxel-level SimSiam, Lee et al.).</summary>
    SimSiam,
    /// <summary>Supervised InfoNCE on the same levels (the paper's "SCL" baseline).</summary>
    Scl,
}

/// <summary>
/// Voxel-level SimSiam (<c>method: voxel-simsiam</c>) and its baselines (<c>loss.auxiliary: none</c> = plain U-Net,
/// <c>scl</c>): a supervised 3-D U-Net trained on labeled batches with soft Dice + λ × an auxiliary voxel loss on its
/// deepest levels. Model, loss and sampling settings with the paper's defaults (sources of each value:
/// src/Streaming.Evaluation/Supervised/README.md). The exported feature extractor is the whole U-Net.
/// </summary>
public sealed record VoxelSimSiamOptions : MethodOptions<LabeledBatch>
{
    public CicekUNetOptions UNet { get; init; } = new();
    public AuxiliaryLoss Auxiliary { get; init; } = AuxiliaryLoss.SimSiam;
    /// <summary>Deepest analysis levels that get a feature layer (|F|; the paper: 3, ablation 1 and 2).</summary>
    public int FeatureLevels { get; init; } = 3;
    /// <summary>Weight of the auxiliary loss; null = the paper's: SimSiam 10 for 3 levels, 100 for 1 (Sec. IV-B); SCL 0.1 (Wang et al.).</summary>
    public double? Lambda { get; init; }
    /// <summary>Hidden width of the projection and prediction MLPs (paper: 64; Table V: 128, 256).</summary>
    public int HeadHidden { get; init; } = 64;
    /// <summary>Output width of the projection (and prediction) MLP; 0 = the hidden width.</summary>
    public int HeadOut { get; init; }
    public PairAggregation Aggregation { get; init; } = PairAggregation.Mean;
    /// <summary>Normalised inverse-frequency class weights (Eq. 6; Table IV ablates them).</summary>
    public bool ClassWeights { get; init; } = true;
    public int MaxVoxelsPerLevel { get; init; } = 1700;
    public int MaxHardVoxelsPerLevel { get; init; } = 1000;
    /// <summary>SCL: extra uniformly drawn voxels per level that serve as negatives (and positives of their own class).</summary>
    public int SclNegatives { get; init; } = 1700;
    public double SclTemperature { get; init; } = 0.1;
    /// <summary>How labeled batches are drawn from the cache (<c>pretrain</c>; the evaluation protocols bring their own batches).</summary>
    public LabeledSamplingOptions Sampling { get; init; } = new();

    public override string Name => "voxel-simsiam";
    public override InputScaling InputScaling => Sampling.InputScaling;
    public override Int3 PatchShape => Sampling.PatchShape;
    public override FeatureExtractor CreateFeatures() => new CicekUNet3d(UNet);
    public override IPretrainMethod<LabeledBatch> CreateMethod() => new VoxelSimSiamMethod(this);

    public override ILedgeredSource<LabeledBatch> CreateSource(IReadOnlyList<ShardVolumeInfo> volumes, Func<ShardVolumeInfo, IShardVolume> open,
        long seed, SkipLedger ledger) =>
        new LabeledPatchSource(volumes, open, Sampling with { Seed = Sampling.Seed ?? seed }, ledger);

    /// <summary>Levels that actually get a feature layer (0 for the plain U-Net).</summary>
    public int ActiveLevels => Auxiliary == AuxiliaryLoss.None ? 0 : FeatureLevels;

    public int ProjectionDim => HeadOut == 0 ? HeadHidden : HeadOut;

    public double EffectiveLambda => Auxiliary switch
    {
        AuxiliaryLoss.None => 0,
        _ when Lambda is { } l => l,
        AuxiliaryLoss.SimSiam => FeatureLevels == 1 ? 100 : 10,
        _ => 0.1,
    };

    public override void Validate()
    {
        UNet.Validate();
        Sampling.Validate();
        var m = UNet.InputMultiple;
        var p = Sampling.PatchShape;
        if (p.X % m != 0 || p.Y % m != 0 || p.Z % m != 0)
            throw new ArgumentException($"sampling.patchShape {p} must be a multiple of {m} on every axis (the U-Net's coarsest stride)");
        if (Sampling.KeepLabels.Count > 0 && Sampling.KeepLabels.Max() >= UNet.Classes)
            throw new ArgumentException($"model.classes {UNet.Classes} cannot hold label {Sampling.KeepLabels.Max()} (sampling.keepLabels)");
        if (!Enum.IsDefined(Auxiliary)) throw new ArgumentException($"unknown auxiliary loss {Auxiliary}");
        if (Auxiliary != AuxiliaryLoss.None && (FeatureLevels < 1 || FeatureLevels > UNet.Levels))
            throw new ArgumentException($"featureLevels must be in 1..{UNet.Levels} (the U-Net's levels)");
        if (Lambda is { } l && !(l >= 0 && double.IsFinite(l))) throw new ArgumentException("lambda must be a finite number >= 0");
        if (HeadHidden < 1 || HeadOut < 0) throw new ArgumentException("headHidden must be >= 1 and headOut >= 0");
        if (!Enum.IsDefined(Aggregation)) throw new ArgumentException($"unknown pair aggregation {Aggregation}");
        if (MaxVoxelsPerLevel < 2 || MaxHardVoxelsPerLevel < 0 || MaxHardVoxelsPerLevel > MaxVoxelsPerLevel)
            throw new ArgumentException("need maxVoxelsPerLevel >= 2 and 0 <= maxHardVoxelsPerLevel <= maxVoxelsPerLevel");
        if (SclNegatives < 0) throw new ArgumentException("sclNegatives must be >= 0");
        if (!(SclTemperature > 0)) throw new ArgumentException("sclTemperature must be > 0");
    }

    public VoxelSiameseModel CreateModel() =>
        new(new CicekUNet3d(UNet), ActiveLevels, HeadHidden, ProjectionDim, withPredictor: Auxiliary == AuxiliaryLoss.SimSiam);
}
