namespace Streaming.Training.Loop;

/// <summary>
/// Everything needed to continue a run exactly: completed steps (the sampler's position: batches are a pure
/// function of (seed, step)), model parameters and buffers, optimizer state, the torch CPU generator state.
/// </summary>
public sealed record Checkpoint(
    long Step,
    string Method,
    string ConfigFingerprint,
    long SamplerSeed,
    byte[] TorchRngState,
    byte[] ModelState,
    byte[] OptimizerState,
    double LastLoss);
