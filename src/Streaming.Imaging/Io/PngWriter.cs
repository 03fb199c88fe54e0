using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Streaming.Imaging.Io;

/// <summary>
/// A minimal PNG encoder (8-bit grayscale or RGB, no interlace) for figures; zlib via <see cref="ZLibStream"/>.
/// Enough for documentation pictures without a native imaging dependency.
/// </summary>
public static class PngWriter
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes an 8-bit grayscale image; <paramref name="pixels"/> is row-major, width*height bytes.</summary>
    public static void WriteGray(string path, int width, int height, ReadOnlySpan<byte> pixels) =>
        Write(path, width, height, pixels, channels: 1);

    /// <summary>Writes an 8-bit RGB image; <paramref name="rgb"/> is row-major, width*height*3 bytes (R, G, B).</summary>
    public static void WriteRgb(string path, int width, int height, ReadOnlySpan<byte> rgb) =>
        Write(path, width, height, rgb, channels: 3);

    /// <summary>Encodes to a byte array (used by tests and by callers that embed the image).</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> pixels, int channels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"invalid PNG size {width}x{height}");
        if (channels is not (1 or 3)) throw new ArgumentException($"PNG channels must be 1 or 3, got {channels}");
        var stride = width * channels;
        if (pixels.Length != (long)stride * height)
            throw new ArgumentException($"pixel buffer has {pixels.Length} bytes, expected {(long)stride * height}");

        using var ms = new MemoryStream();
        ms.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;                              // bit depth
        ihdr[9] = (byte)(channels == 1 ? 0 : 2);  // colour type: grayscale / truecolour
        ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // deflate, adaptive filtering, no interlace
        WriteChunk(ms, "IHDR", ihdr);

        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (var y = 0; y < height; y++)
                {
                    z.WriteByte(0); // filter type None: figures are small, simplicity wins
                    z.Write(pixels.Slice(y * stride, stride));
                }
            }
            WriteChunk(ms, "IDAT", raw.ToArray());
        }
        WriteChunk(ms, "IEND", ReadOnlySpan<byte>.Empty);
        return ms.ToArray();
    }

    private static void Write(string path, int width, int height, ReadOnlySpan<byte> pixels, int channels)
    {
        var bytes = Encode(width, height, pixels, channels);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var tmp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        for (var i = 0; i < 4; i++) head[4 + i] = (byte)type[i];
        s.Write(head);
        s.Write(data);
        // PNG's CRC-32 (ISO-HDLC) over chunk type and data: System.IO.Hashing's, stored big-endian as PNG wants.
        var crc = new Crc32();
        crc.Append(head[4..]);
        crc.Append(data);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc.GetCurrentHashAsUInt32());
        s.Write(tail);
    }
}
