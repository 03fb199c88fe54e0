using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Training;

/// <summary>Optimisation settings shared by every protocol (patch sizes as (x, y, z) voxels).</summary>
public sealed record HeadTrainingOptions
{
    public int Steps { get; init; } = 300;
    public int BatchSize { get; init; } = 4;
    public Int3 Patch { get; init; } = new(64, 64, 32);
    public double HeadLr { get; init; } = 3e-3;
    public double ForegroundFraction { get; init; } = 0.5;
    public long Seed { get; init; }

    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException("training steps must be >= 1");
        if (BatchSize < 1) throw new ArgumentException("batch size must be >= 1");
        if (!Patch.AllPositive) throw new ArgumentException($"patch {Patch} must be positive");
        if (!(HeadLr > 0)) throw new ArgumentException("head learning rate must be > 0");
        if (!(ForegroundFraction is >= 0 and <= 1)) throw new ArgumentException("foreground fraction must be in [0, 1]");
    }
}

/// <summary>One optimisation step as it happened: loss, and whether/how fast the backbone learned.</summary>
public readonly record struct TrainStepRecord(long Step, double Loss, bool BackboneFrozen, double BackboneLr);
