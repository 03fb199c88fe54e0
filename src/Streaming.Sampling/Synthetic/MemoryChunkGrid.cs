using Streaming.Ingest.Volumes;

namespace Streaming.Sampling.Synthetic;

/// <summary>
/// The shard cache's chunk layout for in-memory volumes: chunk (cx, cy, cz) is number cx + gx (cy + gy cz); chunks at
/// the far edges are clipped to the volume.
/// </summary>
public readonly record struct MemoryChunkGrid(Int3 Shape, Int3 ChunkShape)
{
    public static MemoryChunkGrid Create(Int3 shape, Int3 chunkShape)
    {
        if (!shape.AllPositive || !chunkShape.AllPositive) throw new ArgumentException($"shape {shape} and chunk shape {chunkShape} must be positive");
        return new(shape, chunkShape);
    }

    public Int3 Counts => new(Ceil(Shape.X, ChunkShape.X), Ceil(Shape.Y, ChunkShape.Y), Ceil(Shape.Z, ChunkShape.Z));
    public int Count => (int)Counts.Volume;
    public int Index(Int3 c) => c.X + Counts.X * (c.Y + Counts.Y * c.Z);
    public Int3 Start(int index)
    {
        var n = Counts;
        return new Int3(index % n.X * ChunkShape.X, index / n.X % n.Y * ChunkShape.Y, index / (n.X * n.Y) * ChunkShape.Z);
    }
    public Int3 Extent(int index) => Int3.Min(ChunkShape, Shape - Start(index));

    /// <summary>Chunk coordinates [first, end) overlapping the region.</summary>
    public (Int3 First, Int3 End) Overlapping(Int3 origin, Int3 size)
    {
        var last = origin + size - new Int3(1, 1, 1);
        return (new Int3(origin.X / ChunkShape.X, origin.Y / ChunkShape.Y, origin.Z / ChunkShape.Z),
                new Int3(last.X / ChunkShape.X + 1, last.Y / ChunkShape.Y + 1, last.Z / ChunkShape.Z + 1));
    }

    private static int Ceil(int a, int b) => (a + b - 1) / b;
}
