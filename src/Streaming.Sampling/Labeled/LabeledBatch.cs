using Streaming.Imaging.Volumes;

namespace Streaming.Sampling.Labeled;

/// <summary>
/// One step of supervised training: N image patches (or whole volumes) and their label maps, C-order (N, 1, Z, Y, X)
/// and (N, Z, Y, X) to match TorchSharp's (N, C, D, H, W). Images are already input-scaled.
/// </summary>
public sealed class LabeledBatch : IBatch
{
    public required long Step { get; init; }
    public required int Items { get; init; }
    public required Int3 PatchShape { get; init; }
    public required float[] Images { get; init; }
    public required byte[] Labels { get; init; }
    /// <summary>Volume id of each item.</summary>
    public required string[] VolumeIds { get; init; }
    public long BytesDecoded { get; init; }
    IReadOnlyList<string> IBatch.VolumeIds => VolumeIds;

    public void Check()
    {
        var n = PatchShape.Volume * Items;
        if (Images.LongLength != n || Labels.LongLength != n || VolumeIds.Length != Items)
            throw new InvalidDataException($"labeled batch {Step}: {Images.LongLength} image and {Labels.LongLength} label values for {Items} x {PatchShape}");
    }
}
