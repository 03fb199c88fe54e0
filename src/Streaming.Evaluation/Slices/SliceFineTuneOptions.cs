using Streaming.Sampling.Slices;
using Streaming.Training.Models;

namespace Streaming.Evaluation.Slices;

/// <summary>
/// SAL's evaluation: the whole 2-D U-Net fine-tuned on the slices of M labeled subjects per fold (the same M for
/// every initialisation), predicted slice by slice and stacked to 3-D. Immutable; <see cref="Validate"/> at the
/// boundary.
/// </summary>
public sealed record SliceFineTuneOptions
{
    /// <summary>k of the k-fold split of the labeled volumes (each is held out once).</summary>
    public int Folds { get; init; } = 4;
    /// <summary>Only the first N folds (0 = all).</summary>
    public int MaxFolds { get; init; }
    /// <summary>M values: labeled subjects that train each fold (the first M of the fold's shuffled training cases).</summary>
    public IReadOnlyList<int> LabeledSubjects { get; init; } = [1, 2, 4, 8];
    /// <summary>Seed of the fold split, the U-Net's random initialisation and the slice draws.</summary>
    public long Seed { get; init; }
    public int Steps { get; init; } = 300;
    /// <summary>Slices per step.</summary>
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Training crop (x, y) of each slice, placed uniformly; multiples of the U-Net's 2^downsamplings. null = whole slices.</summary>
    public PlaneShape? Patch { get; init; }
    /// <summary>Fraction of training slices drawn among those showing a foreground class (one drawn uniformly).</summary>
    public double ForegroundFraction { get; init; } = 0.5;
    /// <summary>Labels kept (others become background); empty = every label present.</summary>
    public IReadOnlyList<int> Labels { get; init; } = [];
    /// <summary>The U-Net trained (widths must match the pre-trained encoders').</summary>
    public UNet2dOptions Model { get; init; } = new();
    /// <summary>Slices per forward pass at prediction.</summary>
    public int PredictBatch { get; init; } = 16;
    public string Device { get; init; } = "cpu";
    /// <summary>torch intra-op threads; 0 leaves libtorch's default.</summary>
    public int Threads { get; init; }
    public bool WritePredictions { get; init; } = true;
    public IReadOnlyDictionary<int, string> ClassNames { get; init; } = new Dictionary<int, string>();

    public void Validate()
    {
        if (Folds < 2) throw new ArgumentException("folds must be >= 2");
        if (MaxFolds < 0) throw new ArgumentException("maxFolds must be >= 0");
        if (LabeledSubjects.Count == 0 || LabeledSubjects.Any(m => m < 1)) throw new ArgumentException("labeled subject counts (M) must be >= 1");
        if (Steps < 1 || BatchSize < 1 || PredictBatch < 1) throw new ArgumentException("steps, batch size and predict batch must be >= 1");
        if (!(LearningRate > 0)) throw new ArgumentException("learning rate must be > 0");
        if (!(ForegroundFraction is >= 0 and <= 1)) throw new ArgumentException("foreground fraction must be in [0, 1]");
        if (Labels.Any(l => l is < 1 or > 255)) throw new ArgumentException("kept labels must be in 1..255");
        if (Threads < 0) throw new ArgumentException("threads must be >= 0");
        Model.Validate();
        if (Patch is { } p && (!p.AllPositive || p.X % Model.SizeMultiple != 0 || p.Y % Model.SizeMultiple != 0))
            throw new ArgumentException($"patch {p} must be positive multiples of {Model.SizeMultiple} (the U-Net's pooling)");
    }

    public string ClassName(int label) => ClassNames.TryGetValue(label, out var n) ? n : $"class {label}";
}
