using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Streaming.Tests;

/// <summary>
/// Writes NumPy .npy files (format 1.0: magic, header dict padded to 64 bytes, little-endian C-order data) so tests
/// can hand arrays to the Python bridge's checkers. Shape is given in C order (slowest axis first).
/// </summary>
public static class Npy
{
    public static void Write(string path, float[] data, params long[] shape) => Write(path, "<f4", MemoryMarshal.AsBytes(data.AsSpan()), data.LongLength, shape);
    public static void Write(string path, byte[] data, params long[] shape) => Write(path, "|u1", data, data.LongLength, shape);
    public static void Write(string path, short[] data, params long[] shape) => Write(path, "<i2", MemoryMarshal.AsBytes(data.AsSpan()), data.LongLength, shape);

    private static void Write(string path, string descr, ReadOnlySpan<byte> bytes, long count, long[] shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("npy writer assumes a little-endian machine");
        if (shape.Aggregate(1L, (a, b) => a * b) != count)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) does not hold {count} values");
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        var total = (10 + header.Length + 1 + 63) / 64 * 64;       // magic(6) + version(2) + length(2) + header + '\n'
        header = header.PadRight(total - 10 - 1) + "\n";
        using var fs = File.Create(path);
        fs.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        fs.Write(BitConverter.GetBytes((ushort)header.Length));
        fs.Write(Encoding.ASCII.GetBytes(header));
        fs.Write(bytes);
    }
}
