using Streaming.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Methods.Context;

/// <summary>
/// Root module of a context method: "backbone.*" (the exported descriptor) and "heads.*" (one auxiliary head per
/// trained network: three for the planar methods, one for Doersch), so checkpoints get PyTorch-style names.
/// </summary>
public sealed class ContextModel : nn.Module
{
    public FeatureExtractor Backbone { get; }
    public ModuleList<nn.Module<Tensor, Tensor>> Heads { get; }

    public ContextModel(FeatureExtractor backbone, IEnumerable<nn.Module<Tensor, Tensor>> heads) : base("ContextModel")
    {
        Backbone = backbone;
        Heads = nn.ModuleList(heads.ToArray());
        register_module("backbone", Backbone);
        register_module("heads", Heads);
    }
}
