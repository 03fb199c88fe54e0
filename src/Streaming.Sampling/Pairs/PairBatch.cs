using Streaming.Imaging.Volumes;

namespace Streaming.Sampling.Pairs;

/// <summary>
/// One training step's input: N pairs of views (two overlapping patches each) and, per pair, M voxel positions that
/// are the same physical voxel in both views. Patches are C-order (N, 1, Z, Y, X) to match TorchSharp's
/// (N, C, D, H, W); positions are (N, M, 3) as (z, y, x) indices into each pair's own patch.
/// </summary>
public sealed class PairBatch : IBatch
{
    public required long Step { get; init; }
    public required int Pairs { get; init; }
    public required Int3 PatchShape { get; init; }
    public required int PositionsPerPair { get; init; }
    public required float[] ViewsA { get; init; }
    public required float[] ViewsB { get; init; }
    /// <summary>Un-augmented views (same crops, before augmentation) for reconstruction losses; null if not asked for.</summary>
    public float[]? CleanA { get; init; }
    public float[]? CleanB { get; init; }
    public required int[] PositionsA { get; init; }
    public required int[] PositionsB { get; init; }
    /// <summary>Volume id of each pair, for telemetry and tests.</summary>
    public required string[] VolumeIds { get; init; }
    public long BytesDecoded { get; init; }
    IReadOnlyList<string> IBatch.VolumeIds => VolumeIds;
}
