using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Streaming.Shards.Format;

/// <summary>Row kernels used by the shard writer and reader: int16/float conversion and mask bit (un)packing.</summary>
internal static class VoxelCopy
{
    /// <summary>Byte j of entry k is bit j of k: expands one bitmap byte into eight 0/1 bytes in one store.</summary>
    private static readonly ulong[] BitsToBytes = BuildTable();

    private static ulong[] BuildTable()
    {
        var t = new ulong[256];
        for (var k = 0; k < 256; k++)
            for (var j = 0; j < 8; j++)
                t[k] |= (ulong)((k >> j) & 1) << (8 * j);
        return t;
    }

    public static void Widen(ReadOnlySpan<short> src, Span<float> dst)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= src.Length - 16; i += 16)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Create(src.Slice(i, 16)));
                Vector256.ConvertToSingle(lo).CopyTo(dst.Slice(i, 8));
                Vector256.ConvertToSingle(hi).CopyTo(dst.Slice(i + 8, 8));
            }
        }
        for (; i < src.Length; i++) dst[i] = src[i];
    }

    /// <summary>Rounds half to even (as numpy/torch do) and saturates to int16. Returns false on NaN.</summary>
    public static bool RoundSaturate(ReadOnlySpan<float> src, Span<short> dst)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // 16 voxels per step: round to nearest even, clamp to the int16 range (so the narrowing cannot wrap),
            // convert and narrow. Clamping after rounding equals the scalar saturation below.
            var lo = Vector256.Create((float)short.MinValue);
            var hi = Vector256.Create((float)short.MaxValue);
            for (; i <= src.Length - 16; i += 16)
            {
                var a = Vector256.Create(src.Slice(i, 8));
                var b = Vector256.Create(src.Slice(i + 8, 8));
                if (!Vector256.EqualsAll(a, a) || !Vector256.EqualsAll(b, b)) return false; // NaN != NaN
                var ia = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(a), lo), hi));
                var ib = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(b), lo), hi));
                Vector256.Narrow(ia, ib).CopyTo(dst.Slice(i, 16));
            }
        }
        for (; i < src.Length; i++)
        {
            var v = src[i];
            if (float.IsNaN(v)) return false;
            var r = MathF.Round(v);
            dst[i] = r >= short.MaxValue ? short.MaxValue : r <= short.MinValue ? short.MinValue : (short)r;
        }
        return true;
    }

    /// <summary>Writes dst.Length 0/1 bytes from the bitmap starting at bit <paramref name="bit"/>.</summary>
    public static void UnpackBits(ReadOnlySpan<byte> bits, long bit, Span<byte> dst)
    {
        var i = 0;
        for (; i < dst.Length && (bit & 7) != 0; i++, bit++)
            dst[i] = (byte)((bits[(int)(bit >> 3)] >> (int)(bit & 7)) & 1);
        for (; dst.Length - i >= 8; i += 8, bit += 8)
            BinaryPrimitives.WriteUInt64LittleEndian(dst.Slice(i, 8), BitsToBytes[bits[(int)(bit >> 3)]]);
        for (; i < dst.Length; i++, bit++)
            dst[i] = (byte)((bits[(int)(bit >> 3)] >> (int)(bit & 7)) & 1);
    }

    /// <summary>Sets bit (bit + i) for every nonzero src[i]; the bitmap must start zeroed. Returns the count set.</summary>
    public static int PackBits(ReadOnlySpan<byte> src, Span<byte> bits, long bit)
    {
        var set = 0;
        var i = 0;
        // Up to the next byte boundary bit by bit, then 32 mask bytes → 4 bitmap bytes per step.
        for (; i < src.Length && (bit & 7) != 0; i++, bit++)
        {
            if (src[i] == 0) continue;
            bits[(int)(bit >> 3)] |= (byte)(1 << (int)(bit & 7));
            set++;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= src.Length - 32; i += 32, bit += 32)
            {
                var word = ~Vector256.Equals(Vector256.Create(src.Slice(i, 32)), Vector256<byte>.Zero).ExtractMostSignificantBits();
                if (word == 0) continue;
                var at = bits.Slice((int)(bit >> 3), 4);
                BinaryPrimitives.WriteUInt32LittleEndian(at, BinaryPrimitives.ReadUInt32LittleEndian(at) | word);
                set += BitOperations.PopCount(word);
            }
        }
        for (; i < src.Length; i++, bit++)
        {
            if (src[i] == 0) continue;
            bits[(int)(bit >> 3)] |= (byte)(1 << (int)(bit & 7));
            set++;
        }
        return set;
    }

    public static long PopCount(ReadOnlySpan<byte> bits)
    {
        long n = 0;
        foreach (var b in bits) n += BitOperations.PopCount(b);
        return n;
    }
}
