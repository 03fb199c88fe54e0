namespace Streaming.Training.Logging;

/// <summary>One logged point (averaged over the steps since the previous one).</summary>
public sealed record StepMetrics(
    long Step,
    long TotalSteps,
    double Loss,
    IReadOnlyDictionary<string, double> Parts,
    double LearningRate,
    double StepsPerSecond,
    double DataWaitFraction,
    long RssBytes,
    long PeakRssBytes,
    long? GpuBytes,
    double ElapsedSeconds,
    long? GpuPeakBytes = null,
    IReadOnlyDictionary<string, double>? PhaseMs = null);
