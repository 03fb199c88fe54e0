namespace Streaming.Training.Loop;

public enum RunStatus { Completed, Interrupted }

/// <summary>What a run did. A diverged run throws <see cref="TrainingDivergedException"/> instead.</summary>
public sealed record PretrainSummary(
    RunStatus Status,
    long StartStep,
    long EndStep,
    long TotalSteps,
    double LastLoss,
    string RunDir,
    string? LastCheckpoint,
    string? BackboneFile,
    double StepsPerSecond,
    double DataWaitFraction,
    long PeakRssBytes,
    string? StopReason);
