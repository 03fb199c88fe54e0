using Streaming.Imaging.Volumes;
using Streaming.Training.Export;

namespace Streaming.Evaluation;

/// <summary>What <see cref="EmbedJob.Run"/> embeds, with which model, and where it writes.</summary>
public sealed record EmbedRequest
{
    /// <summary>Run directory (or any folder) holding backbone.json + backbone.safetensors.</summary>
    public required string ModelDir { get; init; }
    /// <summary>A .nii/.nii.gz file or a DICOM series folder.</summary>
    public required string Input { get; init; }
    public required string OutputDir { get; init; }
    /// <summary>Preprocess with this spec instead of the model's: refused when its cache key differs, unless <see cref="ForceSpec"/>.</summary>
    public string? SpecPath { get; init; }
    public bool ForceSpec { get; init; }
    /// <summary>Principal components written (pc1..pcN.nii.gz).</summary>
    public int Components { get; init; } = 3;
    public string Device { get; init; } = "cpu";
    /// <summary>Sliding windows; null = the model's training patch (<see cref="EmbedOptions.ForPatch"/>).</summary>
    public EmbedOptions? Window { get; init; }

    public void Validate()
    {
        if (Components < 1) throw new ArgumentException("embed: the number of principal components must be >= 1");
        Window?.Validate();
    }
}

/// <summary>What an embedding wrote.</summary>
public sealed record EmbedOutcome(string OutputDir, IReadOnlyList<string> Files, Int3 Shape, Vec3 Spacing, string SpecName, double[] ExplainedVariance);
