using Streaming.Imaging.Volumes;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Features;

/// <summary>
/// A feature extractor's output over a whole volume: level l is (C_l, Z/s_z, Y/s_y, X/s_x) for its stride s (per axis;
/// 2^l on every axis for 3-D pyramids) of the volume zero-padded at its far ends to <see cref="PaddedShape"/> (a
/// multiple of <see cref="Alignment"/>). <see cref="Shape"/> is the real volume; predictions are cropped back to it.
/// </summary>
public sealed class FeaturePyramid(Tensor[] levels, IReadOnlyList<Int3> strides, Int3 shape, Int3 paddedShape) : IDisposable
{
    public Tensor[] Levels { get; } = levels;
    /// <summary>Stride (x, y, z) of each level.</summary>
    public IReadOnlyList<Int3> Strides { get; } = strides.Count == levels.Length ? strides : throw new ArgumentException("one stride per level");
    public Int3 Shape { get; } = shape;
    public Int3 PaddedShape { get; } = paddedShape;
    /// <summary>The largest stride per axis: crops must be aligned to it.</summary>
    public Int3 Alignment { get; } = new(strides.Max(s => s.X), strides.Max(s => s.Y), strides.Max(s => s.Z));

    /// <summary>Views of every level for the full-resolution box [origin, origin + size); origin and size multiples of <see cref="Alignment"/>.</summary>
    public Tensor[] Crop(Int3 origin, Int3 size)
    {
        var a = Alignment;
        if (origin.X % a.X != 0 || origin.Y % a.Y != 0 || origin.Z % a.Z != 0 || size.X % a.X != 0 || size.Y % a.Y != 0 || size.Z % a.Z != 0)
            throw new ArgumentException($"crop {origin}+{size} is not aligned to {a}");
        return Levels.Select((t, l) =>
        {
            var s = Strides[l];
            return t[.., TensorIndex.Slice(origin.Z / s.Z, (origin.Z + size.Z) / s.Z),
                TensorIndex.Slice(origin.Y / s.Y, (origin.Y + size.Y) / s.Y), TensorIndex.Slice(origin.X / s.X, (origin.X + size.X) / s.X)];
        }).ToArray();
    }

    public void Dispose()
    {
        foreach (var t in Levels) t.Dispose();
    }
}
