using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>What a trained hierarchical backbone shows evaluation, <c>embed</c> and export.</summary>
public enum HierarchicalReadout
{
    /// <summary>The FPN's decoder levels as they are (the paper's probes attach here): 32, 64, ... channels.</summary>
    Raw,
    /// <summary>The trained per-level projections the InfoNCE loss sees: every level at the projection width.</summary>
    Projected,
}

/// <summary>
/// Hierarchical dense SSL backbone: an FPN (base 32, 5 levels) whose every decoder level is projected by its own
/// trained 1x1 convolution to a common width (32) before concatenation, so the loss sees 5 x 32 = 160 dims with equal
/// weight per scale. <see cref="Finest"/> (training) returns those projections plus the un-projected finest decoder
/// level for the reconstruction head; <c>forward</c> (the feature contract) returns the raw decoder pyramid by
/// default, as the paper's probes use it, or the projections with <see cref="HierarchicalReadout.Projected"/>.
/// The weights are the same either way.
/// </summary>
public sealed class HierarchicalBackbone : FeatureExtractor
{
    private readonly Vox2VecFpn fpn;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> level_projections;
    private readonly int finestChannels;
    private readonly HierarchicalReadout readout;

    public HierarchicalBackbone(BackboneOptions o, int projectionWidth = 32, HierarchicalReadout readout = HierarchicalReadout.Raw,
        string name = "HierarchicalBackbone")
        : base(name, o.InChannels, FeatureLevel.Pyramid(readout == HierarchicalReadout.Raw ? o.LevelChannels() : Enumerable.Repeat(projectionWidth, o.Levels)))
    {
        if (projectionWidth < 1) throw new ArgumentException("model.levelProjectionWidth must be >= 1");
        fpn = new Vox2VecFpn(o);
        finestChannels = o.BaseChannels;
        this.readout = readout;
        level_projections = nn.ModuleList<nn.Module<Tensor, Tensor>>(
            o.LevelChannels().Select(c => (nn.Module<Tensor, Tensor>)nn.Conv3d(c, projectionWidth, 1)).ToArray());
        RegisterComponents();
    }

    public HierarchicalReadout Readout => readout;

    public int FinestChannels => finestChannels;

    public override Tensor[] forward(Tensor x)
    {
        if (readout == HierarchicalReadout.Projected) return Forward(x, out _, keepFinest: false);
        CheckInput(x);
        return fpn.forward(x);
    }

    /// <summary>Training: the projected pyramid (what InfoNCE sees) plus the raw finest decoder level (caller disposes it).</summary>
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
