namespace Streaming.Sampling;

/// <summary>
/// What every kind of batch tells the machinery around it (prefetch, telemetry, the training loop): its step, the
/// bytes its reads decoded, and the volume each of its items came from. Everything else (views, positions, slice
/// indices, drawn offsets, labels) is the kind's own, typed, and read only by the methods that use that kind.
/// </summary>
public interface IBatch
{
    /// <summary>The step this batch belongs to: step k of a run is always the same batch (seed, k, cache, skip ledger).</summary>
    long Step { get; }
    /// <summary>Bytes decoded from the cache to build it (telemetry: decoded MB/s).</summary>
    long BytesDecoded { get; }
    /// <summary>Volume id of each item (pair, slice, patch), in item order.</summary>
    IReadOnlyList<string> VolumeIds { get; }
}
