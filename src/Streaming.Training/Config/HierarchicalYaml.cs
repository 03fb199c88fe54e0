using Streaming.Training.Methods;
using Streaming.Training.Models;

namespace Streaming.Training.Config;

/// <summary><c>model:</c> of hierarchical dense SSL: the voxel-contrast keys plus the level projection width.</summary>
public sealed class HierarchicalModelYaml : VoxelContrastModelYaml
{
    public int? LevelProjectionWidth { get; set; }
    /// <summary>raw (default: the FPN pyramid, as the paper's probes) or projected (the trained per-level projections).</summary>
    public HierarchicalReadout? Readout { get; set; }
}

/// <summary><c>loss:</c> of hierarchical dense SSL: InfoNCE plus the reconstruction weight.</summary>
public sealed class HierarchicalLossYaml : VoxelContrastLossYaml
{
    public double? ReconstructionWeight { get; set; }
}

/// <summary>Hierarchical dense SSL (<c>method: hierarchical</c>).</summary>
public sealed class HierarchicalYaml : MethodYaml
{
    public override string Name => new HierarchicalOptions().Name;

    public override MethodOptions Bind(MethodSections s)
    {
        var m = Section<HierarchicalModelYaml>(s.Model, "model");
        var l = Section<HierarchicalLossYaml>(s.Loss, "loss");
        var d = new HierarchicalOptions();
        return Vox2VecYaml.Overlay(d, m, l, Section<PairSamplingYaml>(s.Sampling, "sampling")) with
        {
            LevelProjectionWidth = m.LevelProjectionWidth ?? d.LevelProjectionWidth,
            Readout = m.Readout ?? d.Readout,
            ReconstructionWeight = l.ReconstructionWeight ?? d.ReconstructionWeight,
        };
    }

    public override MethodSections Describe(MethodOptions options)
    {
        var o = (HierarchicalOptions)options;
        var m = Vox2VecYaml.ModelOf(o, new HierarchicalModelYaml());
        m.LevelProjectionWidth = o.LevelProjectionWidth;
        m.Readout = o.Readout;
        var l = Vox2VecYaml.LossOf(o, new HierarchicalLossYaml());
        l.ReconstructionWeight = o.ReconstructionWeight;
        return new MethodSections(Node(m), Node(l), Node(PairSamplingYaml.From(o.Sampling)));
    }
}
