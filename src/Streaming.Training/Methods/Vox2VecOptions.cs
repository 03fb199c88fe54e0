using Streaming.Sampling.Pairs;
using Streaming.Training.Models;

namespace Streaming.Training.Methods;

/// <summary>
/// vox2vec's decoder: the paper's FPN pyramid; the paper's UNet ablation (one full-resolution map from the last decoder
/// layer); or the UNet decoder read out as a pyramid like the FPN (our variant, not in the paper).
/// </summary>
public enum Vox2VecDecoder { Fpn, UNet, UNetPyramid }

/// <summary>vox2vec (Goncharov et al. 2023): <c>method: vox2vec</c> (FPN), <c>vox2vec-unet</c> or <c>vox2vec-unet-pyramid</c>.</summary>
public sealed record Vox2VecOptions : VoxelContrastOptions
{
    public Vox2VecDecoder Decoder { get; init; } = Vox2VecDecoder.Fpn;

    public override string Name => Decoder switch
    {
        Vox2VecDecoder.Fpn => "vox2vec",
        Vox2VecDecoder.UNet => "vox2vec-unet",
        _ => "vox2vec-unet-pyramid",
    };

    public override FeatureExtractor CreateFeatures() => Decoder switch
    {
        Vox2VecDecoder.Fpn => new Vox2VecFpn(Backbone),
        Vox2VecDecoder.UNet => new UNet3d(Backbone),
        _ => new UNet3d(Backbone, pyramid: true),
    };

    public override IPretrainMethod<PairBatch> CreateMethod() => new Vox2VecMethod(this);
}
