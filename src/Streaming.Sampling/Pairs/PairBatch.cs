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
    /// <summary>
    /// Distinct positions per pair when an overlap held fewer body voxels than M: pair p's positions [count, M) are
    /// padding that losses must skip (<see cref="ValidRows"/>), so no voxel is its own negative. Null: all M are valid.
    /// </summary>
    public int[]? PositionCounts { get; init; }
    /// <summary>Volume id of each pair, for telemetry and tests.</summary>
    public required string[] VolumeIds { get; init; }
    public long BytesDecoded { get; init; }
    IReadOnlyList<string> IBatch.VolumeIds => VolumeIds;

    /// <summary>
    /// Rows of the stacked (2 N M) voxel list, A voxels then their B partners, that hold real positions: null when all
    /// do, else A's valid rows followed by the same rows of B (so row i and row V + i stay partners).
    /// </summary>
    public long[]? ValidRows()
    {
        if (PositionCounts is null) return null;
        long m = PositionsPerPair, half = Pairs * m;
        var a = new List<long>((int)half);
        for (var p = 0; p < Pairs; p++)
            for (var i = 0; i < PositionCounts[p]; i++) a.Add(p * m + i);
        return [.. a, .. a.Select(r => r + half)];
    }
}
