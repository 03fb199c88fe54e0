namespace Streaming.Sampling.Slices;

/// <summary>Where a slice sits in its volume: index, the volume's slice count N and index / N (SAL's relative position).</summary>
public readonly record struct SlicePosition(int Index, int Count)
{
    public double Relative => (double)Index / Count;
}

/// <summary>
/// One SAL step: Volumes x SlicesPerVolume slices (volume-major: item i comes from volume i / SlicesPerVolume), each
/// as two augmented views of an in-plane window, C-order (items, 1, Y, X) to match TorchSharp's (N, C, H, W).
/// Positions and volume ids are per item.
/// </summary>
public sealed class SliceBatch : IBatch
{
    public required long Step { get; init; }
    public required int Volumes { get; init; }
    public required int SlicesPerVolume { get; init; }
    public required PlaneShape Shape { get; init; }
    public required float[] ViewsA { get; init; }
    public required float[] ViewsB { get; init; }
    public required SlicePosition[] Positions { get; init; }
    /// <summary>Volume id of each slice.</summary>
    public required string[] VolumeIds { get; init; }
    public long BytesDecoded { get; init; }
    IReadOnlyList<string> IBatch.VolumeIds => VolumeIds;

    public int Items => Volumes * SlicesPerVolume;

    /// <summary>Which volume of the step item <paramref name="item"/> comes from.</summary>
    public int VolumeOf(int item) => item / SlicesPerVolume;
}
