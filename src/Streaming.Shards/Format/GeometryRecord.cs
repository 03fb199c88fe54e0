using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>JSON form of <see cref="VolumeGeometry"/>: shape (x, y, z), spacing and origin in mm (LPS), direction row-major.</summary>
public sealed record GeometryRecord(int[] Shape, double[] Spacing, double[] Origin, double[] Direction)
{
    public static GeometryRecord From(VolumeGeometry g) =>
        new(g.Shape.ToArray(), g.Spacing.ToArray(), g.Origin.ToArray(), g.Direction.ToRowMajor());

    public VolumeGeometry ToGeometry()
    {
        if (Shape is not { Length: 3 } || Spacing is not { Length: 3 } || Origin is not { Length: 3 } || Direction is not { Length: 9 })
            throw new InvalidDataException("geometry record needs shape[3], spacing[3], origin[3] and direction[9]");
        return new VolumeGeometry(Int3.FromArray(Shape), Vec3.FromArray(Spacing), Vec3.FromArray(Origin), Mat3.FromRowMajor(Direction));
    }
}

/// <summary>JSON form of <see cref="CropBox"/> (voxels of the resampled grid; start may be negative where padded).</summary>
public sealed record CropBoxRecord(int[] Start, int[] Shape)
{
    public static CropBoxRecord From(CropBox c) => new(c.Start.ToArray(), c.Shape.ToArray());
    public CropBox ToCropBox() => new(Int3.FromArray(Start), Int3.FromArray(Shape));
}
