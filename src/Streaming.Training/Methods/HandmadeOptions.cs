using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Training.Models;

namespace Streaming.Training.Methods;

/// <summary>
/// The hand-made feature baseline (<c>evaluate --baseline handmade</c>, <see cref="HandmadeFeatures"/>). It has no
/// settings and nothing to pre-train: it is an architecture only so that evaluation treats it like any other backbone.
/// It reads the input the evaluated model sees (evaluation scales the cases by the model's backbone.json).
/// </summary>
public sealed record HandmadeOptions : MethodOptions
{
    public override string Name => "handmade";

    /// <summary>Identity: the features take whatever scaling the cases were loaded with.</summary>
    public override InputScaling InputScaling => InputScaling.Identity;

    /// <summary>The widest receptive field: the σ = 4 Gaussian truncated at 3σ (25 voxels).</summary>
    public override Int3 PatchShape => new(25, 25, 25);

    public override FeatureExtractor CreateFeatures() => new HandmadeFeatures();

    public override void Validate() { }

    public override TResult Accept<TResult>(IMethodVisitor<TResult> visitor) =>
        throw new ArgumentException("handmade features have nothing to pre-train; evaluate them with `evaluate --baseline handmade`");
}
