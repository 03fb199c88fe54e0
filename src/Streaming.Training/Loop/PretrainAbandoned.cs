namespace Streaming.Training.Loop;

/// <summary>
/// A run abandoned by a second SIGINT/SIGTERM: the signal, and the newest complete checkpoint a resume continues from
/// (null and -1 when none was written).
/// </summary>
public sealed record PretrainAbandoned(string Signal, string? LastCheckpoint, long CheckpointStep);
