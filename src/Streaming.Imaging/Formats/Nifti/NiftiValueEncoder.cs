using System.Numerics;
using System.Runtime.InteropServices;

namespace Streaming.Imaging.Formats.Nifti;

/// <summary>
/// Converts voxel values to a stored datatype: stored = (value - inter) / slope, rounded half-to-even and saturated
/// for integer types (NaN → 0), as nibabel does. Same type and identity scaling is a plain copy.
/// </summary>
internal static class NiftiValueEncoder
{
    public static void Encode<T>(ReadOnlySpan<T> src, NiftiDataType type, double slope, double inter, Span<byte> dst) where T : unmanaged
    {
        if (NiftiDataTypes.ForClrType<T>() == type && slope == 1 && inter == 0)
        {
            MemoryMarshal.AsBytes(src).CopyTo(dst);
            return;
        }
        if (typeof(T) == typeof(byte)) From(MemoryMarshal.Cast<T, byte>(src), type, slope, inter, dst);
        else if (typeof(T) == typeof(sbyte)) From(MemoryMarshal.Cast<T, sbyte>(src), type, slope, inter, dst);
        else if (typeof(T) == typeof(short)) From(MemoryMarshal.Cast<T, short>(src), type, slope, inter, dst);
        else if (typeof(T) == typeof(ushort)) From(MemoryMarshal.Cast<T, ushort>(src), type, slope, inter, dst);
        else if (typeof(T) == typeof(int)) From(MemoryMarshal.Cast<T, int>(src), type, slope, inter, dst);
        else if (typeof(T) == typeof(uint)) From(MemoryMarshal.Cast<T, uint>(src), type, slope, inter, dst);
        else if (typeof(T) == typeof(long)) From(MemoryMarshal.Cast<T, long>(src), type, slope, inter, dst);
        else if (typeof(T) == typeof(float)) From(MemoryMarshal.Cast<T, float>(src), type, slope, inter, dst);
        else if (typeof(T) == typeof(double)) From(MemoryMarshal.Cast<T, double>(src), type, slope, inter, dst);
        else throw new ArgumentException($"cannot write voxels of type {typeof(T).Name} to NIfTI (use a numeric type)");
    }

    /// <summary>True when <see cref="Encode{T}"/> accepts T.</summary>
    public static bool Supports<T>() where T : unmanaged => NiftiDataTypes.ForClrType<T>() is not null;

    private static void From<TIn>(ReadOnlySpan<TIn> src, NiftiDataType type, double slope, double inter, Span<byte> dst)
        where TIn : unmanaged, INumberBase<TIn>
    {
        switch (type)
        {
            case NiftiDataType.UInt8: To<TIn, byte>(src, dst, slope, inter, true); break;
            case NiftiDataType.Int8: To<TIn, sbyte>(src, dst, slope, inter, true); break;
            case NiftiDataType.Int16: To<TIn, short>(src, dst, slope, inter, true); break;
            case NiftiDataType.UInt16: To<TIn, ushort>(src, dst, slope, inter, true); break;
            case NiftiDataType.Int32: To<TIn, int>(src, dst, slope, inter, true); break;
            case NiftiDataType.UInt32: To<TIn, uint>(src, dst, slope, inter, true); break;
            case NiftiDataType.Int64: To<TIn, long>(src, dst, slope, inter, true); break;
            case NiftiDataType.Float32: To<TIn, float>(src, dst, slope, inter, false); break;
            case NiftiDataType.Float64: To<TIn, double>(src, dst, slope, inter, false); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "unsupported datatype");
        }
    }

    private static void To<TIn, TOut>(ReadOnlySpan<TIn> src, Span<byte> dstBytes, double slope, double inter, bool integer)
        where TIn : unmanaged, INumberBase<TIn> where TOut : unmanaged, INumberBase<TOut>
    {
        var dst = MemoryMarshal.Cast<byte, TOut>(dstBytes);
        var identity = slope == 1 && inter == 0;
        for (var k = 0; k < src.Length; k++)
        {
            var x = double.CreateTruncating(src[k]);
            if (!identity) x = (x - inter) / slope;
            if (integer)
            {
                if (double.IsNaN(x)) x = 0;
                else x = Math.Round(x, MidpointRounding.ToEven);
                dst[k] = TOut.CreateSaturating(x);
            }
            else dst[k] = TOut.CreateTruncating(x);
        }
    }
}
