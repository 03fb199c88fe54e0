namespace Streaming.Sampling.Context;

/// <summary>
/// One step of the 2.5D planar task: B pairs, each an anchor and, per normal axis (x, y, z), the anchor's planar patch
/// and a partner's. Anchors and Partners are C-order (3 axes, B, planes, size, size); Offsets (3, B, 2) the targets
/// (d1, d2) of each axis's pair; NormalShifts (3, B) the unused displacement along the normal.
/// </summary>
public sealed class PlanarPairBatch : IBatch
{
    public required long Step { get; init; }
    public required int Pairs { get; init; }
    public required int PatchSize { get; init; }
    public required int Planes { get; init; }
    public required float[] Anchors { get; init; }
    public required float[] Partners { get; init; }
    public required float[] Offsets { get; init; }
    public required float[] NormalShifts { get; init; }
    public required string[] VolumeIds { get; init; }
    public long BytesDecoded { get; init; }
    public int PatchValues => Planes * PatchSize * PatchSize;
    IReadOnlyList<string> IBatch.VolumeIds => VolumeIds;
}

/// <summary>
/// One step of the Doersch task: B pairs of cubes, C-order (B, size, size, size) each, and the face neighbour the
/// partner sits at (0: -x, 1: +x, 2: -y, 3: +y, 4: -z, 5: +z).
/// </summary>
public sealed class CubePairBatch : IBatch
{
    public required long Step { get; init; }
    public required int Pairs { get; init; }
    public required int CubeSize { get; init; }
    public required float[] Anchors { get; init; }
    public required float[] Partners { get; init; }
    public required long[] Neighbours { get; init; }
    /// <summary>(B, 2, 3): normalised (x, y, z) centres of anchor and partner (for checks and telemetry).</summary>
    public required double[] Centers { get; init; }
    public required string[] VolumeIds { get; init; }
    public long BytesDecoded { get; init; }
    IReadOnlyList<string> IBatch.VolumeIds => VolumeIds;
}
