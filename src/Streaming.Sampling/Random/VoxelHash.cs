using System.Numerics;
using System.Runtime.CompilerServices;

namespace Streaming.Sampling.Random;

/// <summary>
/// Per-voxel random numbers as a hash of (key, voxel index), 32-bit so that it vectorises with AVX2 multiplies.
/// Each voxel's value depends only on its index, never on the SIMD width, so results do not depend on the lane layout.
/// </summary>
public static class VoxelHash
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(uint key, uint index)
    {
        // lowbias32 (Wellons) over a keyed Weyl sequence.
        var x = index * 0x9E3779B1u + key;
        x ^= x >> 16; x *= 0x21F0AAADu; x ^= x >> 15; x *= 0x735A2D97u; x ^= x >> 15;
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<uint> Hash(Vector<uint> key, Vector<uint> index)
    {
        var x = index * new Vector<uint>(0x9E3779B1u) + key;
        x ^= Vector.ShiftRightLogical(x, 16); x *= new Vector<uint>(0x21F0AAADu);
        x ^= Vector.ShiftRightLogical(x, 15); x *= new Vector<uint>(0x735A2D97u);
        x ^= Vector.ShiftRightLogical(x, 15);
        return x;
    }

    /// <summary>Uniform in [0, 1) with 24 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Unit(uint h) => (h >> 8) * (1.0f / (1 << 24));

    /// <summary>Lane indices 0..Count-1, for building index vectors.</summary>
    public static Vector<uint> Lanes()
    {
        Span<uint> l = stackalloc uint[Vector<uint>.Count];
        for (var i = 0; i < l.Length; i++) l[i] = (uint)i;
        return new Vector<uint>(l);
    }
}
