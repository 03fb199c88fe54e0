using Streaming.Sampling.Sources;

namespace Streaming.Training.Loop;

/// <summary>
/// Everything needed to continue a run exactly: completed steps (the batch stream's position: batch k is a pure
/// function of seed, k, the cache and the skip ledger), the skip ledger itself (volumes found corrupt and from which
/// step they are excluded), model parameters and buffers, optimizer state and the torch CPU generator state.
/// </summary>
public sealed record Checkpoint(
    long Step,
    string Method,
    string ConfigFingerprint,
    long Seed,
    byte[] TorchRngState,
    byte[] ModelState,
    byte[] OptimizerState,
    double LastLoss,
    IReadOnlyList<SkippedVolume> Skipped);
