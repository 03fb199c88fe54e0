using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;

namespace Streaming.Training.Export;

/// <summary>
/// What a trained model must be fed, recorded in backbone.json: the preprocessing spec of the cache it was trained on
/// (null when it was trained without one, e.g. on synthetic batches) and that spec's cache key, the intensity scaling
/// of its input, and the training patch extent (x, y, z). <c>embed</c> and <c>evaluate</c> preprocess and scale as it
/// says; a different spec is refused unless forced (<see cref="ResolveSpec"/>).
/// </summary>
public sealed record InputContract(PreprocessSpec? Spec, string? SpecKey, InputScaling? Scaling, Int3 PatchShape)
{
    /// <summary>
    /// The scaling to apply to cached intensities of <paramref name="modality"/>. Null <see cref="Scaling"/> only comes
    /// from format-1 manifests, which predate the record: their rule was the CT window for CT and identity for MR.
    /// </summary>
    public InputScaling ScalingFor(Modality modality) =>
        Scaling ?? (modality == Modality.CT ? InputScaling.CtWindow : InputScaling.Identity);

    /// <summary>
    /// The spec to preprocess with: the model's own when <paramref name="specPath"/> is null; a given spec only when it
    /// has the model's cache key or <paramref name="force"/> is set. Errors are one line naming both specs and the way out.
    /// </summary>
    public PreprocessSpec ResolveSpec(string? specPath, bool force, string modelDir)
    {
        if (specPath is null)
            return Spec ?? throw new ArgumentException(
                $"{modelDir}: the model records no preprocessing spec (it was trained without a cache); pass --spec");
        var given = SpecLoader.Load(specPath);
        if (Spec is null || force) return given;
        var key = SpecHasher.Key(given);
        var own = SpecHasher.Key(Spec);
        if (key == own) return given;
        throw new SpecMismatchException(
            $"--spec {specPath} ({given.Name}, cache key {key}) is not the preprocessing {modelDir} was trained with " +
            $"({Spec.Name}, {Describe(Spec)}, cache key {own}); omit --spec to use the model's, or add --force-spec to use yours anyway");
    }

    private static string Describe(PreprocessSpec s) =>
        FormattableString.Invariant($"{s.Modality} at {s.TargetSpacing.X}x{s.TargetSpacing.Y}x{s.TargetSpacing.Z} mm");
}

/// <summary>A spec that differs from the model's input contract was given without <c>--force-spec</c>.</summary>
public sealed class SpecMismatchException(string message) : ArgumentException(message);
