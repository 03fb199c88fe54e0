using System.Numerics;

namespace Streaming.Ingest.Preprocess;

/// <summary>SIMD (System.Numerics.Vector) building blocks over float voxel spans.</summary>
internal static class VoxelMath
{
    /// <summary>True when some value is NaN or infinite (v - v is NaN exactly for those).</summary>
    public static bool HasNonFinite(ReadOnlySpan<float> a)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<float>.Count;
            for (; i <= a.Length - w; i += w)
            {
                var v = new Vector<float>(a.Slice(i, w));
                if (!Vector.EqualsAll(v - v, Vector<float>.Zero)) return true;
            }
        }
        for (; i < a.Length; i++)
            if (!float.IsFinite(a[i])) return true;
        return false;
    }

    /// <summary>Min and max over finite values; (NaN, NaN) when there are none.</summary>
    public static (float Min, float Max) FiniteMinMax(ReadOnlySpan<float> a)
    {
        if (HasNonFinite(a))
        {
            float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
            foreach (var v in a)
            {
                if (!float.IsFinite(v)) continue;
                if (v < mn) mn = v;
                if (v > mx) mx = v;
            }
            return mn <= mx ? (mn, mx) : (float.NaN, float.NaN);
        }
        return MinMax(a);
    }

    /// <summary>Min and max of values known to be finite; a must not be empty.</summary>
    public static (float Min, float Max) MinMax(ReadOnlySpan<float> a)
    {
        if (a.IsEmpty) throw new ArgumentException("empty span");
        float mn = a[0], mx = a[0];
        var i = 0;
        var w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && a.Length >= w)
        {
            var vmin = new Vector<float>(a[..w]);
            var vmax = vmin;
            for (i = w; i <= a.Length - w; i += w)
            {
                var v = new Vector<float>(a.Slice(i, w));
                vmin = Vector.MinNative(vmin, v);
                vmax = Vector.MaxNative(vmax, v);
            }
            for (var k = 0; k < w; k++)
            {
                if (vmin[k] < mn) mn = vmin[k];
                if (vmax[k] > mx) mx = vmax[k];
            }
        }
        for (; i < a.Length; i++)
        {
            if (a[i] < mn) mn = a[i];
            if (a[i] > mx) mx = a[i];
        }
        return (mn, mx);
    }

    /// <summary>dst = clamp(src, lo, hi); src must be finite (the native min/max do not order NaN). dst may be src.</summary>
    public static void Clamp(ReadOnlySpan<float> src, Span<float> dst, float lo, float hi)
    {
        if (dst.Length < src.Length) throw new ArgumentException("destination too short");
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<float>.Count;
            var vlo = new Vector<float>(lo);
            var vhi = new Vector<float>(hi);
            for (; i <= src.Length - w; i += w)
                Vector.ClampNative(new Vector<float>(src.Slice(i, w)), vlo, vhi).CopyTo(dst.Slice(i, w));
        }
        for (; i < src.Length; i++) dst[i] = Math.Clamp(src[i], lo, hi);
    }

    /// <summary>In place: NaN and ±infinity become <paramref name="replacement"/>.</summary>
    public static void ReplaceNonFinite(Span<float> a, float replacement)
    {
        for (var i = 0; i < a.Length; i++)
            if (!float.IsFinite(a[i])) a[i] = replacement;
    }

    /// <summary>
    /// dst = a + w * (b - a) (one separable-resampling row/slice blend). This form keeps equal neighbours exact
    /// (a constant region stays constant to the bit); w == 0 is a plain copy.
    /// </summary>
    public static void Blend(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float w, Span<float> dst)
    {
        if (w == 0f) { a[..dst.Length].CopyTo(dst); return; }
        var n = dst.Length;
        a = a[..n];
        b = b[..n];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            var vw = new Vector<float>(w);
            for (; i <= n - width; i += width)
            {
                var va = new Vector<float>(a.Slice(i, width));
                (va + vw * (new Vector<float>(b.Slice(i, width)) - va)).CopyTo(dst.Slice(i, width));
            }
        }
        for (; i < n; i++) dst[i] = a[i] + w * (b[i] - a[i]);
    }

    /// <summary>As <see cref="Blend"/>, with a and b first clamped to [lo, hi] (finite input only).</summary>
    public static void BlendClamped(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float w, float lo, float hi, Span<float> dst)
    {
        var n = dst.Length;
        if (w == 0f) { Clamp(a[..n], dst, lo, hi); return; }
        a = a[..n];
        b = b[..n];
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            var vw = new Vector<float>(w);
            var vlo = new Vector<float>(lo);
            var vhi = new Vector<float>(hi);
            for (; i <= n - width; i += width)
            {
                var va = Vector.ClampNative(new Vector<float>(a.Slice(i, width)), vlo, vhi);
                var vb = Vector.ClampNative(new Vector<float>(b.Slice(i, width)), vlo, vhi);
                (va + vw * (vb - va)).CopyTo(dst.Slice(i, width));
            }
        }
        for (; i < n; i++)
        {
            var ca = Math.Clamp(a[i], lo, hi);
            dst[i] = ca + w * (Math.Clamp(b[i], lo, hi) - ca);
        }
    }

    /// <summary>In place: v = clamp((v - lo) / range, 0, 1). Division (not a reciprocal) keeps v = lo + range at exactly 1.</summary>
    public static void AffineClampUnit(Span<float> a, float lo, float range)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<float>.Count;
            var vlo = new Vector<float>(lo);
            var vr = new Vector<float>(range);
            var one = Vector<float>.One;
            for (; i <= a.Length - w; i += w)
            {
                var s = a.Slice(i, w);
                Vector.ClampNative((new Vector<float>(s) - vlo) / vr, Vector<float>.Zero, one).CopyTo(s);
            }
        }
        for (; i < a.Length; i++) a[i] = Math.Clamp((a[i] - lo) / range, 0f, 1f);
    }
}
