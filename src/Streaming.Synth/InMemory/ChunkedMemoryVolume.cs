using System.Runtime.InteropServices;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using ZstdSharp;

namespace Streaming.Synth.InMemory;

/// <summary>
/// The chunks of one volume held in memory, laid out like the shard cache (X-fastest chunk grid, edge chunks clipped,
/// CT as int16 and the body as bits, optionally Zstd-compressed), so tests and benchmarks see the same "decode only
/// the touched chunks" cost as the real reader without files. Chunks listed as corrupt throw
/// <see cref="ChunkCorruptException"/> when touched. Not thread-safe (one per worker, like the real reader).
/// </summary>
public sealed class ChunkedMemoryVolume : IShardVolume
{
    private readonly ChunkStore _store;
    private readonly Decompressor? _zstd;
    private byte[] _raw = [];

    public ChunkedMemoryVolume(ChunkStore store)
    {
        _store = store;
        _zstd = store.Compressed ? new Decompressor() : null;
    }

    public ShardVolumeInfo Info => _store.Info;
    public int ReadCalls { get; private set; }
    public long ChunksDecoded { get; private set; }

    public RegionReadStats ReadRegion(Int3 origin, Int3 size, Span<float> image, Span<byte> body, Span<byte> labels = default)
    {
        var grid = _store.Grid;
        if (!size.AllPositive || origin.X < 0 || origin.Y < 0 || origin.Z < 0 || !Int3.Min(origin + size, grid.Shape).Equals(origin + size))
            throw new ArgumentOutOfRangeException(nameof(origin), $"{Info.Id}: region {origin}+{size} is not inside {grid.Shape}");
        if (image.Length < size.Volume || body.Length < size.Volume) throw new ArgumentException("region buffers are too small");
        ReadCalls++;
        var (first, end) = grid.Overlapping(origin, size);
        int chunks = 0; long bytes = 0;
        for (var cz = first.Z; cz < end.Z; cz++)
            for (var cy = first.Y; cy < end.Y; cy++)
                for (var cx = first.X; cx < end.X; cx++)
                {
                    var index = grid.Index(new Int3(cx, cy, cz));
                    if (_store.Corrupt.Contains(index)) throw new ChunkCorruptException(Info.Id, index, "xxh64 mismatch");
                    var ext = grid.Extent(index);
                    var raw = Decode(index, ext);
                    chunks++;
                    bytes += raw.Length;
                    Copy(raw, grid.Start(index), ext, origin, size, image, body);
                }
        ChunksDecoded += chunks;
        return new RegionReadStats(chunks, bytes);
    }

    private ReadOnlySpan<byte> Decode(int index, Int3 ext)
    {
        var n = ChunkStore.RawBytes(ext);
        if (!_store.Compressed) return _store.Chunks[index];
        if (_raw.Length < n) _raw = new byte[n];
        var written = _zstd!.Unwrap(_store.Chunks[index], _raw);
        if (written != n) throw new ChunkCorruptException(Info.Id, index, $"decoded {written} bytes, expected {n}");
        return _raw.AsSpan(0, n);
    }

    private static void Copy(ReadOnlySpan<byte> raw, Int3 start, Int3 ext, Int3 origin, Int3 size, Span<float> image, Span<byte> body)
    {
        var voxels = (int)ext.Volume;
        var hu = MemoryMarshal.Cast<byte, short>(raw[..(voxels * 2)]);
        var bits = raw[(voxels * 2)..];
        var lo = Int3.Max(start, origin);
        var hi = Int3.Min(start + ext, origin + size);
        for (var z = lo.Z; z < hi.Z; z++)
            for (var y = lo.Y; y < hi.Y; y++)
            {
                var src = (int)ext.Index(lo.X - start.X, y - start.Y, z - start.Z);
                var dst = (int)size.Index(lo.X - origin.X, y - origin.Y, z - origin.Z);
                var n = hi.X - lo.X;
                var img = image.Slice(dst, n);
                var row = hu.Slice(src, n);
                for (var x = 0; x < n; x++) img[x] = row[x];
                var b = body.Slice(dst, n);
                for (var x = 0; x < n; x++) b[x] = (byte)((bits[(src + x) >> 3] >> ((src + x) & 7)) & 1);
            }
    }

    public void Dispose() => _zstd?.Dispose();
}
