using Streaming.Ingest.Volumes;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Features;

/// <summary>
/// A backbone's feature pyramid over a whole volume: level l is (C_l, Z/2^l, Y/2^l, X/2^l) of the volume zero-padded
/// at its far ends to <see cref="PaddedShape"/> (a multiple of the largest stride). <see cref="Shape"/> is the real
/// volume; predictions are cropped back to it.
/// </summary>
public sealed class FeaturePyramid(Tensor[] levels, Int3 shape, Int3 paddedShape, int[]? strides = null) : IDisposable
{
    public Tensor[] Levels { get; } = levels;
    /// <summary>Stride of each level: 2^l for pyramids; a descriptor grid (e.g. every 4th voxel) has its own.</summary>
    public int[] Strides { get; } = strides ?? Enumerable.Range(0, levels.Length).Select(l => 1 << l).ToArray();
    /// <summary>True when the levels follow the 2^l pyramid layout that heads and crops expect.</summary>
    public bool IsPyramid => Strides.Select((s, l) => s == 1 << l).All(b => b);
    public Int3 Shape { get; } = shape;
    public Int3 PaddedShape { get; } = paddedShape;
    public int MaxStride => 1 << (Levels.Length - 1);

    /// <summary>Views of every level for the level-0 box [origin, origin + size); origin and size multiples of MaxStride.</summary>
    public Tensor[] Crop(Int3 origin, Int3 size)
    {
        var s = MaxStride;
        if (origin.X % s != 0 || origin.Y % s != 0 || origin.Z % s != 0 || size.X % s != 0 || size.Y % s != 0 || size.Z % s != 0)
            throw new ArgumentException($"crop {origin}+{size} is not aligned to stride {s}");
        return Levels.Select((t, l) => t[.., TensorIndex.Slice((origin.Z >> l), (origin.Z + size.Z) >> l),
            TensorIndex.Slice(origin.Y >> l, (origin.Y + size.Y) >> l), TensorIndex.Slice(origin.X >> l, (origin.X + size.X) >> l)]).ToArray();
    }

    public void Dispose()
    {
        foreach (var t in Levels) t.Dispose();
    }
}
