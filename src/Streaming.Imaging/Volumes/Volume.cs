namespace Streaming.Imaging.Volumes;

/// <summary>A voxel array with its geometry. Data is X-fastest (C-order shape Z, Y, X).</summary>
public sealed class Volume<T> where T : unmanaged
{
    public Volume(VolumeGeometry geometry, T[] data)
    {
        if (data.LongLength != geometry.Shape.Volume)
            throw new ArgumentException($"data length {data.LongLength} does not match shape {geometry.Shape}");
        Geometry = geometry;
        Data = data;
    }

    public Volume(VolumeGeometry geometry) : this(geometry, new T[geometry.Shape.Volume]) { }

    public VolumeGeometry Geometry { get; }
    public T[] Data { get; }
    public Int3 Shape => Geometry.Shape;

    public T this[int x, int y, int z]
    {
        get => Data[Shape.Index(x, y, z)];
        set => Data[Shape.Index(x, y, z)] = value;
    }

    public Volume<T> WithGeometry(VolumeGeometry g) => new(g, Data);
}
