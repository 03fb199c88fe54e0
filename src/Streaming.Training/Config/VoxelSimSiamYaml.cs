using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Labeled;
using Streaming.Training.Losses;
using Streaming.Training.Methods;

namespace Streaming.Training.Config;

/// <summary><c>model:</c> of voxel-level SimSiam: the U-Net and the feature layers.</summary>
public sealed class VoxelSimSiamModelYaml
{
    public int? InChannels { get; set; }
    /// <summary>Output classes, background included (label ids 0..classes-1).</summary>
    public int? Classes { get; set; }
    public int? BaseChannels { get; set; }
    public int? Levels { get; set; }
    public int? HeadHidden { get; set; }
    public int? HeadOut { get; set; }
}

/// <summary><c>loss:</c> of voxel-level SimSiam.</summary>
public sealed class VoxelSimSiamLossYaml
{
    public AuxiliaryLoss? Auxiliary { get; set; }
    public int? FeatureLevels { get; set; }
    public double? Lambda { get; set; }
    public PairAggregation? Aggregation { get; set; }
    public bool? ClassWeights { get; set; }
    public int? MaxVoxelsPerLevel { get; set; }
    public int? MaxHardVoxelsPerLevel { get; set; }
    public int? SclNegatives { get; set; }
    public double? SclTemperature { get; set; }
}

/// <summary><c>sampling:</c> of the labeled-batch methods.</summary>
public sealed class LabeledSamplingYaml
{
    public int? VolumesPerBatch { get; set; }
    public int[]? PatchShape { get; set; }
    public double? ForegroundFraction { get; set; }
    /// <summary>[lower, upper] window (CT HU) → [0, 1]; [] = the cached values as they are.</summary>
    public double[]? InputWindow { get; set; }
    public List<int>? KeepLabels { get; set; }
    public Dictionary<string, double>? DatasetWeights { get; set; }
    public long? Seed { get; set; }

    public LabeledSamplingOptions Overlay(LabeledSamplingOptions d) => d with
    {
        VolumesPerBatch = VolumesPerBatch ?? d.VolumesPerBatch,
        PatchShape = PatchShape is null ? d.PatchShape : PatchShape is [var x, var y, var z] ? new Int3(x, y, z)
            : throw new ArgumentException("sampling.patchShape must be [x, y, z]"),
        ForegroundFraction = ForegroundFraction ?? d.ForegroundFraction,
        InputScaling = InputWindow switch
        {
            null => d.InputScaling,
            [] => InputScaling.Identity,
            [var lo, var hi] => new InputScaling(lo, hi),
            _ => throw new ArgumentException("sampling.inputWindow must be [lower, upper] or [] (no scaling)"),
        },
        KeepLabels = KeepLabels ?? d.KeepLabels,
        DatasetWeights = DatasetWeights ?? d.DatasetWeights,
        Seed = Seed ?? d.Seed,
    };

    public static LabeledSamplingYaml From(LabeledSamplingOptions s) => new()
    {
        VolumesPerBatch = s.VolumesPerBatch, PatchShape = [s.PatchShape.X, s.PatchShape.Y, s.PatchShape.Z], ForegroundFraction = s.ForegroundFraction,
        InputWindow = s.InputScaling.IsIdentity ? [] : [s.InputScaling.Lower, s.InputScaling.Upper], KeepLabels = [.. s.KeepLabels],
        DatasetWeights = s.DatasetWeights.Count == 0 ? null : new Dictionary<string, double>(s.DatasetWeights), Seed = s.Seed,
    };
}

/// <summary>Voxel-level SimSiam and its baselines (<c>method: voxel-simsiam</c>).</summary>
public sealed class VoxelSimSiamYaml : MethodYaml
{
    public override string Name => new VoxelSimSiamOptions().Name;

    public override MethodOptions Bind(MethodSections s)
    {
        var m = Section<VoxelSimSiamModelYaml>(s.Model, "model");
        var l = Section<VoxelSimSiamLossYaml>(s.Loss, "loss");
        var sampling = Section<LabeledSamplingYaml>(s.Sampling, "sampling");
        var d = new VoxelSimSiamOptions();
        return d with
        {
            UNet = d.UNet with
            {
                InChannels = m.InChannels ?? d.UNet.InChannels,
                Classes = m.Classes ?? d.UNet.Classes,
                BaseChannels = m.BaseChannels ?? d.UNet.BaseChannels,
                Levels = m.Levels ?? d.UNet.Levels,
            },
            HeadHidden = m.HeadHidden ?? d.HeadHidden,
            HeadOut = m.HeadOut ?? d.HeadOut,
            Auxiliary = l.Auxiliary ?? d.Auxiliary,
            FeatureLevels = l.FeatureLevels ?? d.FeatureLevels,
            Lambda = l.Lambda ?? d.Lambda,
            Aggregation = l.Aggregation ?? d.Aggregation,
            ClassWeights = l.ClassWeights ?? d.ClassWeights,
            MaxVoxelsPerLevel = l.MaxVoxelsPerLevel ?? d.MaxVoxelsPerLevel,
            MaxHardVoxelsPerLevel = l.MaxHardVoxelsPerLevel ?? d.MaxHardVoxelsPerLevel,
            SclNegatives = l.SclNegatives ?? d.SclNegatives,
            SclTemperature = l.SclTemperature ?? d.SclTemperature,
            Sampling = sampling.Overlay(d.Sampling),
        };
    }

    public override MethodSections Describe(MethodOptions options)
    {
        var o = (VoxelSimSiamOptions)options;
        return new MethodSections(
            Node(new VoxelSimSiamModelYaml
            {
                InChannels = o.UNet.InChannels, Classes = o.UNet.Classes, BaseChannels = o.UNet.BaseChannels, Levels = o.UNet.Levels,
                HeadHidden = o.HeadHidden, HeadOut = o.HeadOut,
            }),
            Node(new VoxelSimSiamLossYaml
            {
                Auxiliary = o.Auxiliary, FeatureLevels = o.FeatureLevels, Lambda = o.Lambda, Aggregation = o.Aggregation, ClassWeights = o.ClassWeights,
                MaxVoxelsPerLevel = o.MaxVoxelsPerLevel, MaxHardVoxelsPerLevel = o.MaxHardVoxelsPerLevel, SclNegatives = o.SclNegatives,
                SclTemperature = o.SclTemperature,
            }),
            Node(LabeledSamplingYaml.From(o.Sampling)));
    }
}
