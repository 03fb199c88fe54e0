using Streaming.Training.Methods;
using Streaming.Training.Models;

namespace Streaming.Training.Config;

/// <summary><c>model:</c> of the voxel-contrast methods (backbone and projection head).</summary>
public class VoxelContrastModelYaml
{
    public int? InChannels { get; set; }
    public int? BaseChannels { get; set; }
    public int? Levels { get; set; }
    public int? BlocksPerLevel { get; set; }
    public NormKind? Norm { get; set; }
    public int? HeadHidden { get; set; }
    public int? HeadOut { get; set; }
    public ComputePrecision? Precision { get; set; }
}

/// <summary><c>loss:</c> of the voxel-contrast methods (InfoNCE).</summary>
public class VoxelContrastLossYaml
{
    public double? Temperature { get; set; }
    public int? InfoNceChunkRows { get; set; }
}

/// <summary>vox2vec (<c>method: vox2vec</c>, FPN) and vox2vec-UNet (<c>method: vox2vec-unet</c>).</summary>
public sealed class Vox2VecYaml(Vox2VecDecoder decoder) : MethodYaml
{
    public override string Name => new Vox2VecOptions { Decoder = decoder }.Name;

    public override MethodOptions Bind(MethodSections s) =>
        Overlay(new Vox2VecOptions { Decoder = decoder }, Section<VoxelContrastModelYaml>(s.Model, "model"),
            Section<VoxelContrastLossYaml>(s.Loss, "loss"), Section<PairSamplingYaml>(s.Sampling, "sampling"));

    public override MethodSections Describe(MethodOptions options)
    {
        var o = (VoxelContrastOptions)options;
        return new MethodSections(Node(ModelOf(o, new VoxelContrastModelYaml())), Node(LossOf(o, new VoxelContrastLossYaml())),
            Node(PairSamplingYaml.From(o.Sampling)));
    }

    /// <summary>The keys both voxel-contrast methods share, onto the method's defaults.</summary>
    internal static T Overlay<T>(T d, VoxelContrastModelYaml m, VoxelContrastLossYaml l, PairSamplingYaml s) where T : VoxelContrastOptions
    {
        VoxelContrastOptions o = d with
        {
            Backbone = d.Backbone with
            {
                InChannels = m.InChannels ?? d.Backbone.InChannels,
                BaseChannels = m.BaseChannels ?? d.Backbone.BaseChannels,
                Levels = m.Levels ?? d.Backbone.Levels,
                BlocksPerLevel = m.BlocksPerLevel ?? d.Backbone.BlocksPerLevel,
                Norm = m.Norm ?? d.Backbone.Norm,
            },
            HeadHidden = m.HeadHidden ?? d.HeadHidden,
            HeadOut = m.HeadOut ?? d.HeadOut,
            Precision = m.Precision ?? d.Precision,
            Temperature = l.Temperature ?? d.Temperature,
            InfoNceChunkRows = l.InfoNceChunkRows ?? d.InfoNceChunkRows,
            Sampling = s.Overlay(d.Sampling),
        };
        return (T)o;
    }

    internal static TModel ModelOf<TModel>(VoxelContrastOptions o, TModel m) where TModel : VoxelContrastModelYaml
    {
        m.InChannels = o.Backbone.InChannels; m.BaseChannels = o.Backbone.BaseChannels; m.Levels = o.Backbone.Levels;
        m.BlocksPerLevel = o.Backbone.BlocksPerLevel; m.Norm = o.Backbone.Norm; m.HeadHidden = o.HeadHidden; m.HeadOut = o.HeadOut;
        m.Precision = o.Precision;
        return m;
    }

    internal static TLoss LossOf<TLoss>(VoxelContrastOptions o, TLoss l) where TLoss : VoxelContrastLossYaml
    {
        l.Temperature = o.Temperature; l.InfoNceChunkRows = o.InfoNceChunkRows;
        return l;
    }
}
