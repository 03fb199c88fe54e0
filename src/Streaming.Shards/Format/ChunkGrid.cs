using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>
/// Splits a volume into chunks of <see cref="ChunkShape"/>; chunk (cx, cy, cz) has index cx + gx*(cy + gy*cz).
/// Edge chunks are clipped to the volume (smaller, never padded).
/// </summary>
public readonly record struct ChunkGrid(Int3 Shape, Int3 ChunkShape)
{
    public static ChunkGrid Create(Int3 shape, Int3 chunkShape)
    {
        if (!shape.AllPositive) throw new ArgumentException($"volume shape {shape} must be positive");
        if (!chunkShape.AllPositive) throw new ArgumentException($"chunk shape {chunkShape} must be positive");
        if (chunkShape.Volume > int.MaxValue / 4) throw new ArgumentException($"chunk shape {chunkShape} is too large for one Arrow batch");
        return new ChunkGrid(shape, chunkShape);
    }

    public Int3 Counts => new(Ceil(Shape.X, ChunkShape.X), Ceil(Shape.Y, ChunkShape.Y), Ceil(Shape.Z, ChunkShape.Z));

    public int Count => checked((int)Counts.Volume);

    public Int3 Coords(int index)
    {
        var c = Counts;
        return new Int3(index % c.X, index / c.X % c.Y, index / (c.X * c.Y));
    }

    public int Index(Int3 coords) => coords.X + Counts.X * (coords.Y + Counts.Y * coords.Z);

    /// <summary>First voxel of the chunk.</summary>
    public Int3 Start(int index)
    {
        var c = Coords(index);
        return new Int3(c.X * ChunkShape.X, c.Y * ChunkShape.Y, c.Z * ChunkShape.Z);
    }

    /// <summary>Extent of the chunk after clipping to the volume.</summary>
    public Int3 Extent(int index) => Int3.Min(ChunkShape, Shape - Start(index));

    /// <summary>Grid coordinates (inclusive first, exclusive end) of the chunks overlapping [origin, origin+size).</summary>
    public (Int3 First, Int3 End) Overlapping(Int3 origin, Int3 size)
    {
        var last = origin + size - new Int3(1, 1, 1);
        return (new Int3(origin.X / ChunkShape.X, origin.Y / ChunkShape.Y, origin.Z / ChunkShape.Z),
                new Int3(last.X / ChunkShape.X + 1, last.Y / ChunkShape.Y + 1, last.Z / ChunkShape.Z + 1));
    }

    private static int Ceil(int a, int b) => (a + b - 1) / b;
}
