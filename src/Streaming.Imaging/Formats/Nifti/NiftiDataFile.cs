using System.IO.Compression;
using Streaming.Imaging.Files;

namespace Streaming.Imaging.Formats.Nifti;

/// <summary>
/// An open NIfTI file: the parsed, validated header and a stream positioned at the first voxel. Gzip is detected
/// from the magic bytes (1f 8b), not the extension, and decompressed on the fly: the compressed file is never held
/// in memory.
/// </summary>
internal sealed class NiftiDataFile : IDisposable
{
    private const int FileBufferSize = 1 << 16;
    /// <summary>Chunk for decode-and-convert; small enough to stay in L2 while it is swapped and converted.</summary>
    private const int ChunkBytes = 1 << 18;

    private readonly Stream _data;
    private readonly long? _availableBytes; // known up front for an uncompressed data file
    private readonly uint? _gzipSize; // ISIZE from the gzip trailer of the data file

    private NiftiDataFile(string path, NiftiHeader header, NiftiDataType type, Stream data, long? available, uint? gzipSize)
    {
        Path = path; Header = header; DataType = type; _data = data; _availableBytes = available; _gzipSize = gzipSize;
        ElementSize = NiftiDataTypes.BytesPerVoxel(type);
        DataBytes = header.Shape.Volume * ElementSize;
    }

    public string Path { get; }
    public NiftiHeader Header { get; }
    public NiftiDataType DataType { get; }
    public int ElementSize { get; }
    public long DataBytes { get; }
    public long VoxelCount => Header.Shape.Volume;

    /// <summary>Reads and validates only the header (the first 540 bytes at most, decompressed if gzipped).</summary>
    public static NiftiHeader ReadHeader(string path)
    {
        using var s = OpenMaybeGzip(path, out _, out _);
        return ReadHeaderFrom(s, path);
    }

    /// <summary>Opens the file, checks the header can be read as a 3D volume and positions the voxel stream.</summary>
    public static NiftiDataFile Open(string path)
    {
        var s = OpenMaybeGzip(path, out var fileLength, out var gzipSize);
        try
        {
            var h = ReadHeaderFrom(s, path);
            var type = NiftiHeaderValidator.CheckReadable(h, path);
            long? available;
            if (h.SingleFile)
            {
                if (h.VoxOffset < h.HeaderSize)
                    throw new InvalidDataException($"{path}: corrupt header: vox_offset {h.VoxOffset} lies inside the {h.HeaderSize}-byte header");
                Skip(s, h.VoxOffset - h.HeaderSize, path, "extensions before vox_offset");
                available = fileLength is { } len ? len - h.VoxOffset : null;
            }
            else
            {
                s.Dispose();
                var img = PairedImagePath(path);
                s = OpenMaybeGzip(img, out fileLength, out gzipSize);
                Skip(s, h.VoxOffset, img, "bytes before vox_offset");
                available = fileLength is { } len ? len - h.VoxOffset : null;
            }
            return new NiftiDataFile(path, h, type, s, available, gzipSize);
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    /// <summary>The voxel bytes in stored order, swapped to this machine's byte order.</summary>
    public void ReadRaw(Span<byte> dst, CancellationToken ct)
    {
        CheckAvailable();
        for (long done = 0; done < dst.Length; done += ChunkBytes * 16L)
        {
            ct.ThrowIfCancellationRequested();
            var n = (int)Math.Min(ChunkBytes * 16L, dst.Length - done);
            Fill(dst.Slice((int)done, n), done);
        }
        if (NiftiByteOrder.NeedsSwap(Header.BigEndian)) NiftiByteOrder.SwapInPlace(dst, ElementSize);
        CheckNoTrailingData();
    }

    /// <summary>The voxels as float32 (unscaled), decoded chunk by chunk straight into <paramref name="dst"/>.</summary>
    public void ReadSingles(Span<float> dst, CancellationToken ct)
    {
        CheckAvailable();
        var chunk = GC.AllocateUninitializedArray<byte>(ChunkBytes);
        var perChunk = ChunkBytes / ElementSize;
        var swap = NiftiByteOrder.NeedsSwap(Header.BigEndian);
        for (long v = 0; v < dst.Length; v += perChunk)
        {
            ct.ThrowIfCancellationRequested();
            var count = (int)Math.Min(perChunk, dst.Length - v);
            var bytes = chunk.AsSpan(0, count * ElementSize);
            Fill(bytes, v * ElementSize);
            if (swap) NiftiByteOrder.SwapInPlace(bytes, ElementSize);
            NiftiVoxelConverter.ToSingle(DataType, bytes, dst.Slice((int)v, count));
        }
        CheckNoTrailingData();
    }

    private void CheckAvailable()
    {
        if (_availableBytes is { } a && a < DataBytes) throw Truncated(a);
    }

    private void Fill(Span<byte> dst, long alreadyRead)
    {
        int got;
        try
        {
            got = _data.ReadAtLeast(dst, dst.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"{Path}: corrupt gzip stream after {alreadyRead} of the {DataBytes} voxel bytes (dims {Header.Shape} {Header.DataTypeName}): {e.Message}", e);
        }
        if (got < dst.Length) throw Truncated(alreadyRead + got);
    }

    private InvalidDataException Truncated(long available) => new(
        $"{Path}: truncated voxel data: dims {Header.Shape} {Header.DataTypeName} need {DataBytes} bytes after vox_offset {Header.VoxOffset}, " +
        $"the file holds {available}");

    /// <summary>More voxel bytes than the dims describe means the dims are wrong (or the file is 4D in disguise).</summary>
    private void CheckNoTrailingData()
    {
        long extra;
        if (_availableBytes is { } a) extra = a - DataBytes;
        else
        {
            Span<byte> probe = stackalloc byte[1];
            try { extra = _data.Read(probe); }
            catch (InvalidDataException e) { throw new InvalidDataException($"{Path}: corrupt gzip stream after the voxel data: {e.Message}", e); }
        }
        if (extra > 0)
            throw new InvalidDataException(
                $"{Path}: dims do not match the data: dims {Header.Shape} {Header.DataTypeName} need {DataBytes} bytes after vox_offset {Header.VoxOffset}, " +
                $"the file holds {(_availableBytes is { } b ? b.ToString() : "more")}");
        CheckGzipTrailer();
    }

    /// <summary>
    /// .NET's GZipStream ends quietly when the 8-byte trailer (CRC-32, length) is missing, so a file cut just before or
    /// inside it would pass. The whole stream has been read by now: its length must be what the trailer's ISIZE says
    /// (zlib itself checks the CRC when the trailer is there).
    /// </summary>
    private void CheckGzipTrailer()
    {
        if (_gzipSize is not { } isize) return;
        var total = (ulong)(Header.VoxOffset + DataBytes);
        if ((uint)total != isize)
            throw new InvalidDataException(
                $"{Path}: gzip trailer missing or damaged: the file's last 4 bytes give an uncompressed size of {isize} bytes, the stream holds {total} " +
                "(the file was probably cut short; copy it again)");
    }

    private static NiftiHeader ReadHeaderFrom(Stream s, string path)
    {
        var buf = new byte[NiftiHeaderCodec.V2Size];
        var got = ReadFully(s, buf.AsSpan(0, 4), path);
        if (got < 4) throw new InvalidDataException($"{path}: truncated header: the file holds {got} bytes");
        var (version, _) = NiftiHeaderCodec.DetectLayout(buf, path);
        var size = version == 2 ? NiftiHeaderCodec.V2Size : NiftiHeaderCodec.V1Size;
        got += ReadFully(s, buf.AsSpan(4, size - 4), path);
        if (got < size) throw new InvalidDataException($"{path}: truncated header: the file ends after {got} of the {size} header bytes");
        return NiftiHeaderCodec.Decode(buf.AsSpan(0, size), path);
    }

    private static int ReadFully(Stream s, Span<byte> dst, string path)
    {
        try { return s.ReadAtLeast(dst, dst.Length, throwOnEndOfStream: false); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: corrupt gzip stream in the header: {e.Message}", e); }
    }

    private static void Skip(Stream s, long count, string path, string what)
    {
        if (count <= 0) return;
        if (s.CanSeek)
        {
            if (s.Position + count > s.Length)
                throw new InvalidDataException($"{path}: truncated file: it ends inside the {count} {what}");
            s.Seek(count, SeekOrigin.Current);
            return;
        }
        var buf = new byte[(int)Math.Min(count, 1 << 16)];
        for (var left = count; left > 0;)
        {
            var n = ReadFully(s, buf.AsSpan(0, (int)Math.Min(left, buf.Length)), path);
            if (n == 0) throw new InvalidDataException($"{path}: truncated file: it ends inside the {count} {what}");
            left -= n;
        }
    }

    /// <summary>The file as a stream of NIfTI bytes; fileLength is set only when no decompression is involved.</summary>
    private static Stream OpenMaybeGzip(string path, out long? fileLength, out uint? gzipSize)
    {
        FileStream fs;
        try
        {
            fs = RawPath.OpenRead(path, FileBufferSize);
        }
        catch (FileNotFoundException e) { throw new FileNotFoundException($"{RawPath.Display(path)}: NIfTI file not found", path, e); }
        Span<byte> magic = stackalloc byte[2];
        var n = fs.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        if (n == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            fileLength = null;
            gzipSize = null;
            if (fs.Length >= 18)
            {
                Span<byte> trailer = stackalloc byte[4];
                fs.Seek(-4, SeekOrigin.End);
                fs.ReadExactly(trailer);
                gzipSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            }
            fs.Seek(0, SeekOrigin.Begin);
            return new GZipStream(fs, CompressionMode.Decompress, leaveOpen: false);
        }
        fs.Seek(0, SeekOrigin.Begin);
        fileLength = fs.Length;
        gzipSize = null;
        return fs;
    }

    /// <summary>The .img beside a .hdr of a two-file NIfTI pair (also .hdr.gz → .img.gz; falls back to the other).</summary>
    private static string PairedImagePath(string hdr)
    {
        string stem;
        if (hdr.EndsWith(".hdr.gz", StringComparison.OrdinalIgnoreCase)) stem = hdr[..^7];
        else if (hdr.EndsWith(".hdr", StringComparison.OrdinalIgnoreCase)) stem = hdr[..^4];
        else throw new InvalidDataException($"{hdr}: header says the voxels are in a separate .img file (magic ni1/ni2), but the name does not end in .hdr");
        foreach (var c in new[] { stem + ".img", stem + ".img.gz" })
            if (RawPath.Exists(c)) return c;
        throw new InvalidDataException($"{hdr}: header says the voxels are in a separate file, but neither {stem}.img nor {stem}.img.gz exists");
    }

    public void Dispose() => _data.Dispose();
}
