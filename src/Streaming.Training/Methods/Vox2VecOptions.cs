using Streaming.Sampling.Pairs;
using Streaming.Training.Models;

namespace Streaming.Training.Methods;

/// <summary>vox2vec's decoder: the paper's FPN, or a UNet-style decoder on the same encoder.</summary>
public enum Vox2VecDecoder { Fpn, UNet }

/// <summary>vox2vec (Goncharov et al. 2023): <c>method: vox2vec</c> (FPN) or <c>vox2vec-unet</c>.</summary>
public sealed record Vox2VecOptions : VoxelContrastOptions
{
    public Vox2VecDecoder Decoder { get; init; } = Vox2VecDecoder.Fpn;

    public override string Name => Decoder == Vox2VecDecoder.Fpn ? "vox2vec" : "vox2vec-unet";

    public override FeatureExtractor CreateFeatures() =>
        Decoder == Vox2VecDecoder.Fpn ? new Vox2VecFpn(Backbone) : new UNet3d(Backbone);

    public override IPretrainMethod<PairBatch> CreateMethod() => new Vox2VecMethod(this);
}
