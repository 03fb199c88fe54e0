using System.Globalization;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Apache.Arrow.Memory;
using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>
/// Random access to one shard file. Each region read decodes only the record batches (chunks) it overlaps — the
/// IPC footer gives each batch's offset and ArrowFileReader.ReadRecordBatchAsync(i) seeks there and reads
/// that one message — and checks every decoded chunk against its recorded XXH64 before using it.
/// Not thread-safe: open one per worker.
/// </summary>
public sealed class ShardVolume : IShardVolume
{
    private readonly ArrowFileReader _reader;
    private readonly PositionalReadStream _stream;
    private readonly ChunkGrid _grid;
    private readonly ulong[] _checksums;
    private readonly bool _ct;
    private readonly ChunkLru? _lru;

    private ShardVolume(string path, PositionalReadStream stream, ArrowFileReader reader, VolumeRecord record, ChunkGrid grid,
        ulong[] checksums, int cachedChunks)
    {
        _lru = cachedChunks > 0 ? new ChunkLru(cachedChunks) : null;
        Path = path;
        _stream = stream;
        _reader = reader;
        Record = record;
        _grid = grid;
        _checksums = checksums;
        _ct = record.Modality == Modality.CT;
        Info = record.ToInfo();
    }

    public string Path { get; }
    public ShardVolumeInfo Info { get; }
    /// <summary>The record embedded in the shard, with ShardBytes set from the file (no chunk offsets).</summary>
    public VolumeRecord Record { get; }
    public ChunkGrid Grid => _grid;
    /// <summary>File bytes read so far (footer and every batch fetched), to check that reads stay local.</summary>
    public long FileBytesRead => _stream.BytesRead;
    /// <summary>Sum of all region reads on this reader.</summary>
    public RegionReadStats Total { get; private set; }

    /// <summary>
    /// Opens a shard; a file that is not a shard of this format version throws <see cref="InvalidDataException"/>.
    /// <paramref name="cachedChunks"/> &gt; 0 keeps that many decoded chunks (LRU) for overlapping reads; cache hits are
    /// not counted in <see cref="RegionReadStats"/>, which counts only real decodes. 27 covers one 128x128x32 patch.
    /// </summary>
    public static ShardVolume Open(string path, int cachedChunks = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cachedChunks);
        var fs = new PositionalReadStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12, FileOptions.RandomAccess));
        ArrowFileReader? reader = null;
        try
        {
            reader = new ArrowFileReader(fs, MemoryAllocator.Default.Value, new CompressionCodecFactory(), leaveOpen: false);
            Schema schema;
            int batches;
            try
            {
                schema = reader.Schema;
                batches = reader.RecordBatchCountAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidDataException($"{path}: not a readable Arrow IPC file ({e.Message})", e);
            }
            var record = ReadRecord(path, schema) with { ShardBytes = fs.Length, ShardFile = System.IO.Path.GetFileName(path) };
            var grid = ChunkGrid.Create(record.Geometry.Shape, Int3.FromArray(record.ChunkShape!));
            if (batches != grid.Count)
                throw new InvalidDataException($"{path}: {batches} record batches but the chunk grid {grid.Counts} needs {grid.Count}");
            var sums = record.ChunkChecksums!.Select(h => ulong.TryParse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var x)
                ? x : throw new InvalidDataException($"{path}: bad chunk checksum '{h}'")).ToArray();
            if (sums.Length != grid.Count)
                throw new InvalidDataException($"{path}: {sums.Length} chunk checksums for {grid.Count} chunks");
            return new ShardVolume(path, fs, reader, record, grid, sums, cachedChunks);
        }
        catch
        {
            if (reader is not null) reader.Dispose(); else fs.Dispose();
            throw;
        }
    }

    private static VolumeRecord ReadRecord(string path, Schema schema)
    {
        if (schema.Metadata is null || !schema.Metadata.TryGetValue(ShardFormat.FormatMetadataKey, out var ver))
            throw new InvalidDataException($"{path}: no '{ShardFormat.FormatMetadataKey}' metadata; not a Streaming shard");
        if (ver != ShardFormat.Version.ToString(CultureInfo.InvariantCulture))
            throw new InvalidDataException($"{path}: shard format version {ver}, this reader needs {ShardFormat.Version}");
        if (!schema.Metadata.TryGetValue(ShardFormat.RecordMetadataKey, out var json))
            throw new InvalidDataException($"{path}: no '{ShardFormat.RecordMetadataKey}' metadata");
        var r = VolumeRecordJson.Deserialize(json, path);
        if (r.ChunkShape is not { Length: 3 } || r.ChunkChecksums is null || r.FinalGeometry is null)
            throw new InvalidDataException($"{path}: volume record lacks chunk shape, checksums or final geometry");
        var expect = r.HasLabels ? 3 : 2;
        if (schema.FieldsList.Count != expect)
            throw new InvalidDataException($"{path}: {schema.FieldsList.Count} columns, expected {expect}");
        return r;
    }

    public RegionReadStats ReadRegion(Int3 origin, Int3 size, Span<float> image, Span<byte> body, Span<byte> labels = default)
    {
        var n = size.Volume;
        if (!size.AllPositive || origin.X < 0 || origin.Y < 0 || origin.Z < 0 || !Info.Shape.Contains(origin + size - new Int3(1, 1, 1)))
            throw new ArgumentOutOfRangeException(nameof(size), $"{Path}: region {origin}+{size} is not inside volume {Info.Shape}");
        if (image.Length < n) throw new ArgumentException($"image buffer holds {image.Length} voxels, region needs {n}", nameof(image));
        if (body.Length < n) throw new ArgumentException($"body buffer holds {body.Length} voxels, region needs {n}", nameof(body));
        if (!labels.IsEmpty && !Info.HasLabels)
            throw new ArgumentException($"{Path}: labels requested but volume {Info.Id} has none", nameof(labels));
        if (!labels.IsEmpty && labels.Length < n) throw new ArgumentException($"labels buffer holds {labels.Length} voxels, region needs {n}", nameof(labels));

        var (first, end) = _grid.Overlapping(origin, size);
        var chunks = 0;
        long bytes = 0;
        for (var cz = first.Z; cz < end.Z; cz++)
            for (var cy = first.Y; cy < end.Y; cy++)
                for (var cx = first.X; cx < end.X; cx++)
                {
                    var index = _grid.Index(new Int3(cx, cy, cz));
                    if (_lru is not null && _lru.TryGet(index, out var cached))
                    {
                        CopyOverlap(cached, index, origin, size, image, body, labels);
                        continue;
                    }
                    var batch = Decode(index, out var decodedBytes);
                    try
                    {
                        CopyOverlap(batch, index, origin, size, image, body, labels);
                    }
                    finally
                    {
                        if (_lru is not null) _lru.Add(index, batch); else batch.Dispose();
                    }
                    chunks++;
                    bytes += decodedBytes;
                }
        var stats = new RegionReadStats(chunks, bytes);
        Total = new RegionReadStats(Total.ChunksDecoded + chunks, Total.BytesDecoded + bytes);
        return stats;
    }

    /// <summary>Decodes the whole volume (for inspection and tests).</summary>
    public ShardContents ReadAll()
    {
        var g = Record.Geometry;
        var image = new Volume<float>(g);
        var body = new Volume<byte>(g);
        var labels = Info.HasLabels ? new Volume<byte>(g) : null;
        ReadRegion(new Int3(0, 0, 0), g.Shape, image.Data, body.Data, labels is null ? default : labels.Data);
        return new ShardContents(image, body, labels);
    }

    /// <summary>
    /// Decodes every chunk and checks it against the shard's checksums and, when given, against the catalog's.
    /// Returns one problem per bad chunk; an empty list means every chunk is intact.
    /// </summary>
    public IReadOnlyList<ChunkProblem> VerifyChunks(IReadOnlyList<string>? expectedChecksums = null, CancellationToken ct = default)
    {
        var problems = new List<ChunkProblem>();
        if (expectedChecksums is not null && expectedChecksums.Count != _checksums.Length)
            problems.Add(new ChunkProblem(Path, -1, $"catalog lists {expectedChecksums.Count} chunk checksums, shard has {_checksums.Length}"));
        for (var i = 0; i < _checksums.Length; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (expectedChecksums is not null && i < expectedChecksums.Count &&
                !string.Equals(expectedChecksums[i], ChunkChecksum.ToHex(_checksums[i]), StringComparison.OrdinalIgnoreCase))
                problems.Add(new ChunkProblem(Path, i, $"shard checksum {ChunkChecksum.ToHex(_checksums[i])} differs from catalog {expectedChecksums[i]}"));
            try
            {
                using var batch = Decode(i, out _);
            }
            catch (ChunkCorruptException e)
            {
                problems.Add(new ChunkProblem(Path, i, e.Message));
            }
        }
        return problems;
    }

    /// <summary>Reads batch <paramref name="index"/> and verifies its layout and checksum; any failure is a corrupt chunk.</summary>
    private RecordBatch Decode(int index, out long decodedBytes)
    {
        RecordBatch batch;
        try
        {
            // Completes inline: PositionalReadStream answers async reads synchronously.
            var pending = _reader.ReadRecordBatchAsync(index, CancellationToken.None);
            batch = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ChunkCorruptException(Path, index, $"cannot decode record batch: {e.GetType().Name}: {e.Message}");
        }
        try
        {
            var n = checked((int)_grid.Extent(index).Volume);
            if (batch.Length != n) throw Corrupt(index, $"batch has {batch.Length} rows, chunk has {n} voxels");
            var image = ImageBytes(batch, index, n);
            var bits = BodyBits(batch, index, n);
            var labels = Info.HasLabels ? Labels(batch, index, n) : default;
            var sum = ChunkChecksum.Compute(image, bits, n, labels);
            if (sum != _checksums[index])
                throw Corrupt(index, $"checksum {ChunkChecksum.ToHex(sum)} != recorded {ChunkChecksum.ToHex(_checksums[index])}");
            decodedBytes = image.Length + (n + 7) / 8 + labels.Length;
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    private ReadOnlySpan<byte> ImageBytes(RecordBatch b, int index, int n)
    {
        var col = b.Column(0);
        if (_ct && col is Int16Array s && s.Values.Length == n) return MemoryMarshal.AsBytes(s.Values);
        if (!_ct && col is FloatArray f && f.Values.Length == n) return MemoryMarshal.AsBytes(f.Values);
        throw Corrupt(index, $"image column is {col.GetType().Name} of {col.Length}, expected {ShardFormat.ImageDType(Info.Modality)} of {n}");
    }

    private ReadOnlySpan<byte> BodyBits(RecordBatch b, int index, int n)
    {
        if (b.Column(1) is BooleanArray m && m.Offset == 0 && m.ValueBuffer.Length >= (n + 7) / 8)
            return m.ValueBuffer.Span[..((n + 7) / 8)];
        throw Corrupt(index, "body column is not a boolean bitmap of the chunk's length");
    }

    private ReadOnlySpan<byte> Labels(RecordBatch b, int index, int n)
    {
        if (b.ColumnCount > 2 && b.Column(2) is UInt8Array l && l.Values.Length == n) return l.Values;
        throw Corrupt(index, "labels column is missing or has the wrong length");
    }

    private ChunkCorruptException Corrupt(int index, string reason) => new(Path, index, reason);

    /// <summary>Copies the part of chunk <paramref name="index"/> inside the region straight into the caller's buffers.</summary>
    private void CopyOverlap(RecordBatch batch, int index, Int3 origin, Int3 size, Span<float> image, Span<byte> body, Span<byte> labels)
    {
        var cs = _grid.Start(index);
        var ce = _grid.Extent(index);
        var lo = Int3.Max(origin, cs);
        var hi = Int3.Min(origin + size, cs + ce);
        var len = hi.X - lo.X;
        var shorts = _ct ? ((Int16Array)batch.Column(0)).Values : default;
        var floats = _ct ? default : ((FloatArray)batch.Column(0)).Values;
        var bits = ((BooleanArray)batch.Column(1)).ValueBuffer.Span;
        var lab = labels.IsEmpty ? default : ((UInt8Array)batch.Column(2)).Values;
        for (var z = lo.Z; z < hi.Z; z++)
            for (var y = lo.Y; y < hi.Y; y++)
            {
                var src = (lo.X - cs.X) + ce.X * ((y - cs.Y) + ce.Y * (z - cs.Z));
                var dst = (int)((lo.X - origin.X) + (long)size.X * ((y - origin.Y) + (long)size.Y * (z - origin.Z)));
                if (_ct) VoxelCopy.Widen(shorts.Slice(src, len), image.Slice(dst, len));
                else floats.Slice(src, len).CopyTo(image.Slice(dst, len));
                VoxelCopy.UnpackBits(bits, src, body.Slice(dst, len));
                if (!labels.IsEmpty) lab.Slice(src, len).CopyTo(labels.Slice(dst, len));
            }
    }

    public void Dispose()
    {
        _lru?.Dispose();
        _reader.Dispose();
    }
}
