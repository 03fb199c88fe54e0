using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Streaming.Ingest.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// Linear resampling of an axis-aligned grid as three 1-D passes (x, y, z): each output voxel costs two reads per pass
/// instead of eight for trilinear, and the y/z passes blend whole rows/slices with SIMD. Passes run most-shrinking
/// first so later passes touch fewer voxels; the result equals trilinear interpolation on this grid.
/// </summary>
internal static class SeparableResampler
{
    /// <param name="samples">Per axis (x, y, z) where output samples read the input; flips are folded in here.</param>
    /// <param name="clamp">Applied to src values as the first pass reads them (src must then be finite).</param>
    public static float[] Resample(float[] src, Int3 inShape, AxisSamples[] samples, InputClamp? clamp, int maxDop, CancellationToken ct)
    {
        var order = new[] { 2, 1, 0 };
        // Stable sort on the shrink ratio; ties keep z, y, x (SIMD-friendly passes first).
        order = [.. order.OrderBy(a => (double)samples[a].Count / inShape[a])];

        var data = src;
        var shape = inShape;
        var copied = false;
        foreach (var axis in order)
        {
            if (samples[axis].IsIdentity(shape[axis])) continue;
            var outShape = axis switch
            {
                0 => shape with { X = samples[0].Count },
                1 => shape with { Y = samples[1].Count },
                _ => shape with { Z = samples[2].Count },
            };
            var c = copied ? null : clamp; // only the first pass reads the source
            data = axis switch
            {
                0 => PassX(data, shape, outShape, samples[0], c, maxDop, ct),
                1 => PassY(data, shape, outShape, samples[1], c, maxDop, ct),
                _ => PassZ(data, shape, outShape, samples[2], c, maxDop, ct),
            };
            shape = outShape;
            copied = true;
        }
        if (copied) return data;
        var copy = new float[src.Length];
        if (clamp is { } k) VoxelMath.Clamp(src, copy, k.Min, k.Max);
        else src.AsSpan().CopyTo(copy);
        return copy;
    }

    private static float[] PassX(float[] src, Int3 inShape, Int3 outShape, AxisSamples s, InputClamp? clamp, int maxDop, CancellationToken ct)
    {
        var (cMin, cMax, doClamp) = clamp is { } k ? (k.Min, k.Max, true) : (0f, 0f, false);
        var dst = new float[outShape.Volume];
        int nxIn = inShape.X, nxOut = outShape.X, ny = inShape.Y;
        // Guards for the unchecked loop below.
        if (s.Count != nxOut || s.I0.Any(i => (uint)i >= (uint)nxIn) || s.I1.Any(i => (uint)i >= (uint)nxIn))
            throw new InvalidOperationException("x sample table does not match the grid");
        ParallelSlices.For(inShape.Z, maxDop, ct, z =>
        {
            // The sample tables were built for exactly nxIn inputs / nxOut outputs, so indices are in range by
            // construction; unchecked refs drop four bounds checks per output voxel in this scalar gather loop.
            ref var i0 = ref MemoryMarshal.GetArrayDataReference(s.I0);
            ref var i1 = ref MemoryMarshal.GetArrayDataReference(s.I1);
            ref var w = ref MemoryMarshal.GetArrayDataReference(s.W);
            for (var y = 0; y < ny; y++)
            {
                var row = (long)z * ny + y;
                ref var a = ref MemoryMarshal.GetReference(src.AsSpan((int)(row * nxIn), nxIn));
                ref var d = ref MemoryMarshal.GetReference(dst.AsSpan((int)(row * nxOut), nxOut));
                for (var x = 0; x < nxOut; x++)
                {
                    float lo = Unsafe.Add(ref a, Unsafe.Add(ref i0, x)), hi = Unsafe.Add(ref a, Unsafe.Add(ref i1, x));
                    if (doClamp) { lo = Math.Clamp(lo, cMin, cMax); hi = Math.Clamp(hi, cMin, cMax); }
                    Unsafe.Add(ref d, x) = lo + Unsafe.Add(ref w, x) * (hi - lo);
                }
            }
        });
        return dst;
    }

    private static float[] PassY(float[] src, Int3 inShape, Int3 outShape, AxisSamples s, InputClamp? clamp, int maxDop, CancellationToken ct)
    {
        var dst = new float[outShape.Volume];
        int nx = inShape.X, nyIn = inShape.Y, nyOut = outShape.Y;
        ParallelSlices.For(inShape.Z, maxDop, ct, z =>
        {
            var inSlice = (long)z * nyIn * nx;
            var outSlice = (long)z * nyOut * nx;
            for (var y = 0; y < nyOut; y++)
                Blend(
                    src.AsSpan((int)(inSlice + (long)s.I0[y] * nx), nx),
                    src.AsSpan((int)(inSlice + (long)s.I1[y] * nx), nx),
                    s.W[y], clamp,
                    dst.AsSpan((int)(outSlice + (long)y * nx), nx));
        });
        return dst;
    }

    private static float[] PassZ(float[] src, Int3 inShape, Int3 outShape, AxisSamples s, InputClamp? clamp, int maxDop, CancellationToken ct)
    {
        var dst = new float[outShape.Volume];
        var slice = inShape.X * inShape.Y;
        ParallelSlices.For(outShape.Z, maxDop, ct, z =>
            Blend(
                src.AsSpan((int)((long)s.I0[z] * slice), slice),
                src.AsSpan((int)((long)s.I1[z] * slice), slice),
                s.W[z], clamp,
                dst.AsSpan((int)((long)z * slice), slice)));
        return dst;
    }

    private static void Blend(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float w, InputClamp? clamp, Span<float> dst)
    {
        if (clamp is { } k) VoxelMath.BlendClamped(a, b, w, k.Min, k.Max, dst);
        else VoxelMath.Blend(a, b, w, dst);
    }
}
