namespace Streaming.Imaging.Volumes;

/// <summary>A voxel index or extent (X fastest in memory, then Y, then Z).</summary>
public readonly record struct Int3(int X, int Y, int Z)
{
    public int this[int axis] => axis switch { 0 => X, 1 => Y, 2 => Z, _ => throw new ArgumentOutOfRangeException(nameof(axis)) };
    public long Volume => (long)X * Y * Z;
    public static Int3 operator +(Int3 a, Int3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Int3 operator -(Int3 a, Int3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Int3 Max(Int3 a, Int3 b) => new(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z));
    public static Int3 Min(Int3 a, Int3 b) => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z));
    public bool AllPositive => X > 0 && Y > 0 && Z > 0;
    /// <summary>True when p lies in [0, this) on every axis.</summary>
    public bool Contains(Int3 p) => (uint)p.X < (uint)X && (uint)p.Y < (uint)Y && (uint)p.Z < (uint)Z;
    public long Index(int x, int y, int z) => x + (long)X * (y + (long)Y * z);
    public int[] ToArray() => [X, Y, Z];
    public static Int3 FromArray(IReadOnlyList<int> a) => new(a[0], a[1], a[2]);
    public override string ToString() => $"{X}x{Y}x{Z}";
}
