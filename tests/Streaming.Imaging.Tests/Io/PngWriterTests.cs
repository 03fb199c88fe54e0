using System.Buffers.Binary;
using System.IO.Compression;
using Streaming.Imaging.Io;

namespace Streaming.Imaging.Tests.Io;

public class PngWriterTests
{
    [Fact]
    public void EncodesSignatureHeaderPixelsAndChecksums()
    {
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]; // 2x2
        var png = PngWriter.Encode(2, 2, rgb, 3);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }, png[..8]);
        // IHDR: length 13, width 2, height 2, depth 8, colour type 2.
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(8)));
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(8, png[24]);
        Assert.Equal(2, png[25]);
        // The IEND chunk of every PNG is 00000000 'IEND' AE426082.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 }, png[^12..]);
        // IHDR's CRC covers type + data.
        var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(8 + 8 + 13));
        Assert.Equal(BitwiseCrc32(png.AsSpan(12, 17)), crc);
        // IDAT inflates to filter byte 0 + row, per row.
        var idatLength = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(33));
        Assert.Equal("IDAT", System.Text.Encoding.ASCII.GetString(png, 37, 4));
        using var z = new ZLibStream(new MemoryStream(png, 41, idatLength), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        Assert.Equal(new byte[] { 0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 10, 20, 30 }, raw.ToArray());
    }

    /// <summary>Reference CRC-32 (reflected, polynomial 0xEDB88320), bit by bit: independent of the table in the writer.</summary>
    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            c ^= b;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        }
        return ~c;
    }

    [Fact]
    public void RejectsWrongBufferSizes()
    {
        Assert.Throws<ArgumentException>(() => PngWriter.Encode(2, 2, new byte[5], 1));
        Assert.Throws<ArgumentException>(() => PngWriter.Encode(2, 2, new byte[8], 2));
    }
}
