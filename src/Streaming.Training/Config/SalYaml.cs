using Streaming.Sampling;
using Streaming.Sampling.Slices;
using Streaming.Training.Methods;
using Streaming.Training.Methods.Sal;
using Streaming.Training.Models;

namespace Streaming.Training.Config;

/// <summary><c>model:</c> of SAL: the 2-D U-Net and the two embedding widths.</summary>
public sealed class SalModelYaml
{
    public int? InChannels { get; set; }
    public int[]? Widths { get; set; }
    public NormKind? Norm { get; set; }
    public int? LocalDim { get; set; }
    public int? GlobalDim { get; set; }
}

/// <summary><c>loss:</c> of SAL: GP + lambda x WLA.</summary>
public sealed class SalLossYaml
{
    public double? Theta { get; set; }
    public double? Temperature { get; set; }
    public double? Lambda { get; set; }
    public int? WindowH { get; set; }
    public int? WindowW { get; set; }
    public double? CollapseThreshold { get; set; }
}

/// <summary><c>sampling:</c> of SAL (slices).</summary>
public sealed class SliceSamplingYaml
{
    public int? VolumesPerBatch { get; set; }
    public int? SlicesPerVolume { get; set; }
    /// <summary>[x, y] voxels.</summary>
    public int[]? SliceShape { get; set; }
    public int? MaxShift { get; set; }
    public Dictionary<string, double>? DatasetWeights { get; set; }
    public long? Seed { get; set; }
    /// <summary>Bound straight onto the record: a key left out keeps <see cref="AugmentationOptions"/>'s default.</summary>
    public AugmentationOptions? Augmentations { get; set; }
}

/// <summary>SAL, 2-D slice alignment (<c>method: sal</c>; <c>loss.lambda: 0</c> is PCL).</summary>
public sealed class SalYaml : MethodYaml
{
    public override string Name => SalOptions.MethodName;

    public override MethodOptions Bind(MethodSections sections)
    {
        var m = Section<SalModelYaml>(sections.Model, "model");
        var l = Section<SalLossYaml>(sections.Loss, "loss");
        var s = Section<SliceSamplingYaml>(sections.Sampling, "sampling");
        var d = new SalOptions();
        var ds = d.Sampling;
        return d with
        {
            Model = d.Model with { InChannels = m.InChannels ?? d.Model.InChannels, Widths = m.Widths ?? d.Model.Widths, Norm = m.Norm ?? d.Model.Norm },
            LocalDim = m.LocalDim ?? d.LocalDim,
            GlobalDim = m.GlobalDim ?? d.GlobalDim,
            Theta = l.Theta ?? d.Theta,
            Temperature = l.Temperature ?? d.Temperature,
            Lambda = l.Lambda ?? d.Lambda,
            WindowH = l.WindowH ?? d.WindowH,
            WindowW = l.WindowW ?? d.WindowW,
            CollapseThreshold = l.CollapseThreshold ?? d.CollapseThreshold,
            Sampling = ds with
            {
                VolumesPerBatch = s.VolumesPerBatch ?? ds.VolumesPerBatch,
                SlicesPerVolume = s.SlicesPerVolume ?? ds.SlicesPerVolume,
                SliceShape = s.SliceShape is null ? ds.SliceShape : s.SliceShape is [var x, var y] ? new PlaneShape(x, y)
                    : throw new ArgumentException("sampling.sliceShape must be [x, y]"),
                MaxShift = s.MaxShift ?? ds.MaxShift,
                DatasetWeights = s.DatasetWeights ?? ds.DatasetWeights,
                Seed = s.Seed ?? ds.Seed,
                Augmentations = s.Augmentations ?? ds.Augmentations,
            },
        };
    }

    public override MethodSections Describe(MethodOptions options)
    {
        var o = (SalOptions)options;
        var s = o.Sampling;
        return new MethodSections(
            Node(new SalModelYaml { InChannels = o.Model.InChannels, Widths = [.. o.Model.Widths], Norm = o.Model.Norm, LocalDim = o.LocalDim, GlobalDim = o.GlobalDim }),
            Node(new SalLossYaml
            {
                Theta = o.Theta, Temperature = o.Temperature, Lambda = o.Lambda, WindowH = o.WindowH, WindowW = o.WindowW, CollapseThreshold = o.CollapseThreshold,
            }),
            Node(new SliceSamplingYaml
            {
                VolumesPerBatch = s.VolumesPerBatch, SlicesPerVolume = s.SlicesPerVolume, SliceShape = [s.SliceShape.X, s.SliceShape.Y], MaxShift = s.MaxShift,
                DatasetWeights = s.DatasetWeights.Count == 0 ? null : new Dictionary<string, double>(s.DatasetWeights), Seed = s.Seed,
                Augmentations = s.Augmentations,
            }));
    }
}
