using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods.Sal;

/// <summary>
/// SAL's pre-training network: the 2-D U-Net encoder run slice-wise (<c>backbone.*</c>, the exported
/// <see cref="SliceEncoder2d"/>), the bias-free local embedding of its stride-4 level (<c>local.*</c>) and the global
/// projection of its deepest level (<c>global.*</c>). The U-Net's decoder is not pre-trained (as in the paper); the
/// fine-tuning protocol adds it.
/// </summary>
public sealed class SalModel : nn.Module
{
    public SalModel(SalOptions o) : base("SalModel")
    {
        o.Validate();
        Backbone = new SliceEncoder2d(o.Model);
        Local = new LocalEmbedding(o.Model.Widths[SalOptions.LocalLevel], o.LocalDim);
        Global = new GlobalProjection(o.Model.Widths[^1], o.GlobalDim);
        register_module("backbone", Backbone);
        register_module("local", Local);
        register_module("global", Global);
    }

    public SliceEncoder2d Backbone { get; }
    public LocalEmbedding Local { get; }
    public GlobalProjection Global { get; }

    /// <summary>Unit-length pixel embeddings (B, LocalDim, H/4, W/4) and slice embeddings (B, GlobalDim) of slices (B, 1, H, W).</summary>
    public (Tensor Local, Tensor Global) Embed(Tensor slices)
    {
        var levels = Backbone.Encode(slices);
        try { return (Local.forward(levels[SalOptions.LocalLevel]), Global.forward(levels[^1])); }
        finally { foreach (var l in levels) l.Dispose(); }
    }
}
