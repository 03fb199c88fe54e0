using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using ZstdSharp;

namespace Streaming.Synth.InMemory;

/// <summary>
/// Immutable chunk bytes of one in-memory volume, shared by every worker's <see cref="ChunkedMemoryVolume"/>.
/// Each chunk is its int16 image then its body bits (X-fastest inside the chunk).
/// </summary>
public sealed class ChunkStore
{
    private ChunkStore(ShardVolumeInfo info, ChunkGrid grid, byte[][] chunks, bool compressed, IReadOnlySet<int> corrupt)
    {
        Info = info; Grid = grid; Chunks = chunks; Compressed = compressed; Corrupt = corrupt;
    }

    public ShardVolumeInfo Info { get; }
    public ChunkGrid Grid { get; }
    public byte[][] Chunks { get; }
    public bool Compressed { get; }
    public IReadOnlySet<int> Corrupt { get; }
    public long StoredBytes => Chunks.Sum(c => (long)c.Length);

    public static int RawBytes(Int3 ext) => (int)(ext.Volume * 2 + (ext.Volume + 7) / 8);

    /// <param name="image">Whole volume in HU (rounded to int16), X-fastest.</param>
    /// <param name="body">Whole-volume body mask (nonzero = body).</param>
    /// <param name="zstdLevel">0 stores raw chunks; otherwise the Zstd level.</param>
    public static ChunkStore Create(ShardVolumeInfo info, ReadOnlySpan<float> image, ReadOnlySpan<byte> body, Int3 chunkShape,
        int zstdLevel = 0, IReadOnlySet<int>? corrupt = null)
    {
        var grid = ChunkGrid.Create(info.Shape, chunkShape);
        if (image.Length != info.Shape.Volume || body.Length != info.Shape.Volume)
            throw new ArgumentException($"{info.Id}: image/body length does not match shape {info.Shape}");
        using var zstd = zstdLevel > 0 ? new Compressor(zstdLevel) : null;
        var chunks = new byte[grid.Count][];
        for (var c = 0; c < grid.Count; c++)
        {
            var start = grid.Start(c);
            var ext = grid.Extent(c);
            var voxels = (int)ext.Volume;
            var raw = new byte[RawBytes(ext)];
            var i = 0;
            for (var z = 0; z < ext.Z; z++)
                for (var y = 0; y < ext.Y; y++)
                    for (var x = 0; x < ext.X; x++, i++)
                    {
                        var src = info.Shape.Index(start.X + x, start.Y + y, start.Z + z);
                        var hu = (short)Math.Clamp(MathF.Round(image[(int)src]), short.MinValue, short.MaxValue);
                        raw[2 * i] = (byte)hu; raw[2 * i + 1] = (byte)(hu >> 8);
                        if (body[(int)src] != 0) raw[2 * voxels + (i >> 3)] |= (byte)(1 << (i & 7));
                    }
            chunks[c] = zstd is null ? raw : zstd.Wrap(raw).ToArray();
        }
        return new ChunkStore(info with { ChunkShape = chunkShape }, grid, chunks, zstd is not null, corrupt ?? new HashSet<int>());
    }

    public ChunkedMemoryVolume Open() => new(this);
}
