using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Streaming.Imaging.Formats.Nifti;

/// <summary>Bulk byte swapping of voxel buffers (vectorised by the runtime's ReverseEndianness over spans).</summary>
internal static class NiftiByteOrder
{
    /// <summary>True when data written in the given order must be swapped on this machine.</summary>
    public static bool NeedsSwap(bool bigEndian) => bigEndian == BitConverter.IsLittleEndian;

    /// <summary>Reverses each element of <paramref name="elementSize"/> bytes in place; a byte count not a multiple of it is a bug.</summary>
    public static void SwapInPlace(Span<byte> data, int elementSize)
    {
        switch (elementSize)
        {
            case 1: return;
            case 2: var s = MemoryMarshal.Cast<byte, ushort>(data); BinaryPrimitives.ReverseEndianness(s, s); return;
            case 4: var i = MemoryMarshal.Cast<byte, uint>(data); BinaryPrimitives.ReverseEndianness(i, i); return;
            case 8: var l = MemoryMarshal.Cast<byte, ulong>(data); BinaryPrimitives.ReverseEndianness(l, l); return;
            default: throw new ArgumentOutOfRangeException(nameof(elementSize), elementSize, "element size must be 1, 2, 4 or 8");
        }
    }
}
