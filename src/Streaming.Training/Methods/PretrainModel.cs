using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods;

/// <summary>
/// Root module of a method: "backbone.*", "head.*" and, when present, "reconstruction.*" parameters, so checkpoints
/// and exports get PyTorch-style dotted names.
/// </summary>
public sealed class PretrainModel : nn.Module
{
    public FeatureExtractor Backbone { get; }
    public ProjectionHead Head { get; }
    public ReconstructionHead? Reconstruction { get; }

    public PretrainModel(FeatureExtractor backbone, ProjectionHead head, ReconstructionHead? reconstruction) : base("PretrainModel")
    {
        Backbone = backbone; Head = head; Reconstruction = reconstruction;
        register_module("backbone", backbone);
        register_module("head", head);
        if (reconstruction is not null) register_module("reconstruction", reconstruction);
    }
}
