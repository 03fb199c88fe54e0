using Streaming.Training.Models;

namespace Streaming.Training.Methods;

/// <summary>
/// What vox2vec and hierarchical dense SSL share: a multi-level 3-D backbone, a projection head on every sampled
/// voxel's representation, and InfoNCE over the voxel pairs.
/// </summary>
public abstract record VoxelContrastOptions : PairMethodOptions
{
    public BackboneOptions Backbone { get; init; } = new();
    /// <summary>Hidden width of the projection head; 0 = the representation dim (vox2vec: 1008-1008-1008-128).</summary>
    public int HeadHidden { get; init; }
    public int HeadOut { get; init; } = 128;
    public double Temperature { get; init; } = 0.1;
    /// <summary>Rows of the similarity matrix formed at once (memory bound of InfoNCE).</summary>
    public int InfoNceChunkRows { get; init; } = 2048;
    /// <summary>Backbone arithmetic: fp32 (default) or bf16 with float32 weights, heads and loss (<c>model.precision: bf16</c>).</summary>
    public ComputePrecision Precision { get; init; } = ComputePrecision.Fp32;

    public override void Validate()
    {
        base.Validate();
        Backbone.Validate();
        if (HeadHidden < 0 || HeadOut < 1) throw new ArgumentException("model.headHidden must be >= 0 and model.headOut >= 1");
        if (!(Temperature > 0)) throw new ArgumentException("loss.temperature must be > 0");
        if (InfoNceChunkRows < 1) throw new ArgumentException("loss.infoNceChunkRows must be >= 1");
        var s = 1 << (Backbone.Levels - 1);
        var p = Sampling.PatchShape;
        if (p.X % s != 0 || p.Y % s != 0 || p.Z % s != 0)
            throw new ArgumentException($"sampling.patchShape {p} must be a multiple of {s} on every axis (the stride of the coarsest of {Backbone.Levels} levels)");
    }
}
