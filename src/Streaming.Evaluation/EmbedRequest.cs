using Streaming.Imaging.Volumes;
using Streaming.Training.Export;

namespace Streaming.Evaluation;

/// <summary>How raw voxel features are written besides (or instead of) the PCA maps.</summary>
public enum FeatureFormat { None, Safetensors, Nifti }

/// <summary>The grid outputs are written on: the model's (preprocessed: canonical, resampled, cropped) or the source image's.</summary>
public enum EmbedGrid { Model, Source }

/// <summary>What <see cref="EmbedJob.Run"/> embeds, with which model, and where it writes.</summary>
public sealed record EmbedRequest
{
    /// <summary>Run directory (or any folder) holding backbone.json + backbone.safetensors.</summary>
    public required string ModelDir { get; init; }
    /// <summary>.nii/.nii.gz files or DICOM series folders (one case each).</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];
    /// <summary>Embed cached volumes instead: the cache of the model's spec under this root.</summary>
    public string? CacheRoot { get; init; }
    /// <summary>With <see cref="CacheRoot"/>: only this dataset.</summary>
    public string? Dataset { get; init; }
    /// <summary>With <see cref="CacheRoot"/>: only these volume ids.</summary>
    public IReadOnlyList<string> VolumeIds { get; init; } = [];
    /// <summary>One case: written here; several: one subfolder per case.</summary>
    public required string OutputDir { get; init; }
    /// <summary>Preprocess with this spec instead of the model's: refused when its cache key differs, unless <see cref="ForceSpec"/>.</summary>
    public string? SpecPath { get; init; }
    public bool ForceSpec { get; init; }
    /// <summary>Principal components written (pc1..pcN.nii.gz); 0 = none.</summary>
    public int Components { get; init; } = 3;
    /// <summary>Raw features: features.safetensors ((C, Z, Y, X) float32 + affine) or features.nii.gz (X, Y, Z, C).</summary>
    public FeatureFormat Features { get; init; } = FeatureFormat.None;
    public EmbedGrid Grid { get; init; } = EmbedGrid.Model;
    public string Device { get; init; } = "cpu";
    /// <summary>torch intra-op threads; 0 leaves libtorch's default.</summary>
    public int Threads { get; init; }
    /// <summary>Sliding windows; null = the model's training patch (<see cref="EmbedOptions.ForPatch"/>).</summary>
    public EmbedOptions? Window { get; init; }

    public void Validate()
    {
        if (Components < 0) throw new ArgumentException("embed: the number of principal components must be >= 0");
        if (Components == 0 && Features == FeatureFormat.None) throw new ArgumentException("embed: nothing to write: ask for --pca N (N >= 1) or --features safetensors|nifti");
        if (Inputs.Count == 0 && CacheRoot is null) throw new ArgumentException("embed: give --input FILE (repeatable) or --from-cache (cached volumes)");
        if (Inputs.Count > 0 && CacheRoot is not null) throw new ArgumentException("embed: give either --input or --from-cache, not both");
        if (Threads < 0) throw new ArgumentException("embed: --threads must be >= 0");
        Window?.Validate();
    }
}

/// <summary>What an embedding wrote: one entry per case.</summary>
public sealed record EmbedOutcome(string OutputDir, string SpecName, IReadOnlyList<EmbeddedCase> Cases);

/// <summary>One embedded case: its files, the grid they are on, and the PCA's explained variance.</summary>
public sealed record EmbeddedCase(string Name, string OutputDir, IReadOnlyList<string> Files, Int3 Shape, Vec3 Spacing, EmbedGrid Grid, double[] ExplainedVariance);

/// <summary>A raw scan prepared for <see cref="EmbedJob"/>: preprocessed on the model's grid (spec units) and as read (the source grid).</summary>
public sealed record EmbedScan(Volume<float> Image, Volume<float> Source);
