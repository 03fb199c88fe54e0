using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// Hierarchical dense SSL backbone: an FPN (base 32, 5 levels) whose every decoder level is projected by its own
/// trained 1x1 convolution to a common width (32) before concatenation, so a voxel's representation is 5 x 32 = 160
/// dims with equal weight per scale. <see cref="Finest"/> exposes the un-projected finest decoder level for the
/// reconstruction head.
/// </summary>
public sealed class HierarchicalBackbone : FeatureExtractor
{
    private readonly Vox2VecFpn fpn;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> level_projections;
    private readonly int finestChannels;

    public HierarchicalBackbone(BackboneOptions o, int projectionWidth = 32, string name = "HierarchicalBackbone")
        : base(name, o.InChannels, FeatureLevel.Pyramid(Enumerable.Repeat(projectionWidth, o.Levels)))
    {
        if (projectionWidth < 1) throw new ArgumentException("model.levelProjectionWidth must be >= 1");
        fpn = new Vox2VecFpn(o);
        finestChannels = o.BaseChannels;
        level_projections = nn.ModuleList<nn.Module<Tensor, Tensor>>(
            o.LevelChannels().Select(c => (nn.Module<Tensor, Tensor>)nn.Conv3d(c, projectionWidth, 1)).ToArray());
        RegisterComponents();
    }

    public int FinestChannels => finestChannels;

    public override Tensor[] forward(Tensor x) => Forward(x, out var finest, keepFinest: false);

    /// <summary>Projected pyramid plus the raw finest decoder level (caller disposes it).</summary>
    public Tensor[] Finest(Tensor x, out Tensor finest) => Forward(x, out finest, keepFinest: true);

    private Tensor[] Forward(Tensor x, out Tensor finest, bool keepFinest)
    {
        CheckInput(x);
        var d = fpn.forward(x);
        var p = new Tensor[d.Length];
        for (int l = 0; l < d.Length; l++) p[l] = MixedPrecision.Forward(level_projections[l], d[l]);
        finest = d[0];
        for (int l = keepFinest ? 1 : 0; l < d.Length; l++) d[l].Dispose();
        return p;
    }
}
