using System.Numerics;
using System.Runtime.InteropServices;

namespace Streaming.Imaging.Formats.Nifti;

/// <summary>
/// Stored voxels (native byte order) to float32, with System.Numerics.Vector widening so one call converts a whole
/// buffer without per-voxel dispatch. Scaling is a separate fused multiply-add pass.
/// </summary>
internal static class NiftiVoxelConverter
{
    public static void ToSingle(NiftiDataType type, ReadOnlySpan<byte> raw, Span<float> dst)
    {
        switch (type)
        {
            case NiftiDataType.UInt8: FromUInt8(raw, dst); break;
            case NiftiDataType.Int8: FromInt8(MemoryMarshal.Cast<byte, sbyte>(raw), dst); break;
            case NiftiDataType.Int16: FromInt16(MemoryMarshal.Cast<byte, short>(raw), dst); break;
            case NiftiDataType.UInt16: FromUInt16(MemoryMarshal.Cast<byte, ushort>(raw), dst); break;
            case NiftiDataType.Int32: FromInt32(MemoryMarshal.Cast<byte, int>(raw), dst); break;
            case NiftiDataType.UInt32: FromUInt32(MemoryMarshal.Cast<byte, uint>(raw), dst); break;
            case NiftiDataType.Int64:
                var l = MemoryMarshal.Cast<byte, long>(raw);
                for (var k = 0; k < l.Length; k++) dst[k] = l[k];
                break;
            case NiftiDataType.Float32: MemoryMarshal.Cast<byte, float>(raw).CopyTo(dst); break;
            case NiftiDataType.Float64: FromFloat64(MemoryMarshal.Cast<byte, double>(raw), dst); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "unsupported datatype");
        }
    }

    /// <summary>dst = dst * slope + inter, in float (NIfTI-1 stores both as float32 anyway).</summary>
    public static void Scale(Span<float> dst, double slope, double inter)
    {
        float s = (float)slope, b = (float)inter;
        var vs = new Vector<float>(s);
        var vb = new Vector<float>(b);
        var v = MemoryMarshal.Cast<float, Vector<float>>(dst);
        for (var k = 0; k < v.Length; k++) v[k] = v[k] * vs + vb;
        for (var k = v.Length * Vector<float>.Count; k < dst.Length; k++) dst[k] = dst[k] * s + b;
    }

    private static void FromUInt8(ReadOnlySpan<byte> src, Span<float> dst)
    {
        var n = Vector<byte>.Count;
        var k = 0;
        for (; k + n <= src.Length; k += n)
        {
            Vector.Widen(new Vector<byte>(src.Slice(k, n)), out var lo, out var hi);
            WidenToFloat(lo, dst.Slice(k));
            WidenToFloat(hi, dst.Slice(k + n / 2));
        }
        for (; k < src.Length; k++) dst[k] = src[k];
    }

    private static void FromInt8(ReadOnlySpan<sbyte> src, Span<float> dst)
    {
        var n = Vector<sbyte>.Count;
        var k = 0;
        for (; k + n <= src.Length; k += n)
        {
            Vector.Widen(new Vector<sbyte>(src.Slice(k, n)), out var lo, out var hi);
            WidenToFloat(lo, dst.Slice(k));
            WidenToFloat(hi, dst.Slice(k + n / 2));
        }
        for (; k < src.Length; k++) dst[k] = src[k];
    }

    private static void FromInt16(ReadOnlySpan<short> src, Span<float> dst)
    {
        var n = Vector<short>.Count;
        var k = 0;
        for (; k + n <= src.Length; k += n) WidenToFloat(new Vector<short>(src.Slice(k, n)), dst.Slice(k));
        for (; k < src.Length; k++) dst[k] = src[k];
    }

    private static void FromUInt16(ReadOnlySpan<ushort> src, Span<float> dst)
    {
        var n = Vector<ushort>.Count;
        var k = 0;
        for (; k + n <= src.Length; k += n) WidenToFloat(new Vector<ushort>(src.Slice(k, n)), dst.Slice(k));
        for (; k < src.Length; k++) dst[k] = src[k];
    }

    private static void FromInt32(ReadOnlySpan<int> src, Span<float> dst)
    {
        var n = Vector<int>.Count;
        var k = 0;
        for (; k + n <= src.Length; k += n) Vector.ConvertToSingle(new Vector<int>(src.Slice(k, n))).CopyTo(dst.Slice(k));
        for (; k < src.Length; k++) dst[k] = src[k];
    }

    private static void FromUInt32(ReadOnlySpan<uint> src, Span<float> dst)
    {
        var n = Vector<uint>.Count;
        var k = 0;
        for (; k + n <= src.Length; k += n) Vector.ConvertToSingle(new Vector<uint>(src.Slice(k, n))).CopyTo(dst.Slice(k));
        for (; k < src.Length; k++) dst[k] = src[k];
    }

    private static void FromFloat64(ReadOnlySpan<double> src, Span<float> dst)
    {
        var n = Vector<double>.Count;
        var k = 0;
        for (; k + 2 * n <= src.Length; k += 2 * n)
            Vector.Narrow(new Vector<double>(src.Slice(k, n)), new Vector<double>(src.Slice(k + n, n))).CopyTo(dst.Slice(k));
        for (; k < src.Length; k++) dst[k] = (float)src[k];
    }

    private static void WidenToFloat(Vector<short> v, Span<float> dst)
    {
        Vector.Widen(v, out var lo, out var hi);
        Vector.ConvertToSingle(lo).CopyTo(dst);
        Vector.ConvertToSingle(hi).CopyTo(dst.Slice(Vector<int>.Count));
    }

    private static void WidenToFloat(Vector<ushort> v, Span<float> dst)
    {
        Vector.Widen(v, out var lo, out var hi);
        Vector.ConvertToSingle(lo).CopyTo(dst);
        Vector.ConvertToSingle(hi).CopyTo(dst.Slice(Vector<uint>.Count));
    }
}
