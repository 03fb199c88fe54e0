using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods.Sal;

/// <summary>
/// SAL's pre-training network: the 2-D U-Net (<c>backbone.*</c>; only its encoder receives gradients, the decoder is
/// exported as initialised), the bias-free local embedding of the stride-4 encoder level (<c>local.*</c>) and the
/// global projection of the deepest level (<c>global.*</c>).
/// </summary>
public sealed class SalModel : nn.Module
{
    public SalModel(SalOptions o) : base("SalModel")
    {
        o.Validate();
        Backbone = new UNet2d(o.Model);
        Local = new LocalEmbedding(o.Model.Widths[SalOptions.LocalLevel], o.LocalDim);
        Global = new GlobalProjection(o.Model.Widths[^1], o.GlobalDim);
        register_module("backbone", Backbone);
        register_module("local", Local);
        register_module("global", Global);
    }

    public UNet2d Backbone { get; }
    public LocalEmbedding Local { get; }
    public GlobalProjection Global { get; }

    /// <summary>Unit-length pixel embeddings (B, LocalDim, H/4, W/4) and slice embeddings (B, GlobalDim).</summary>
    public (Tensor Local, Tensor Global) Embed(Tensor x)
    {
        var levels = Backbone.Encode(x);
        try { return (Local.forward(levels[SalOptions.LocalLevel]), Global.forward(levels[^1])); }
        finally { foreach (var l in levels) l.Dispose(); }
    }
}
