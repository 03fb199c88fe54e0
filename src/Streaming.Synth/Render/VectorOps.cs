using System.Numerics;
using System.Runtime.InteropServices;

namespace Streaming.Synth.Render;

/// <summary>Explicitly vectorised float loops (the JIT does not auto-vectorise); they dominate full-size generation time.</summary>
internal static class VectorOps
{
    /// <summary>dst[i] += a * src[i].</summary>
    public static void AddScaled(Span<float> dst, ReadOnlySpan<float> src, float a)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var vs = MemoryMarshal.Cast<float, Vector<float>>(src[..dst.Length]);
            var va = new Vector<float>(a);
            for (var k = 0; k < vd.Length; k++) vd[k] += va * vs[k];
            i = vd.Length * Vector<float>.Count;
        }
        for (; i < dst.Length; i++) dst[i] += a * src[i];
    }

    /// <summary>dst[i] = w * (a[i] + c[i]) + (1 - 2w) * b[i]; dst may alias b.</summary>
    public static void Blend3(Span<float> dst, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, float w)
    {
        var m = 1 - 2 * w;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var va = MemoryMarshal.Cast<float, Vector<float>>(a[..dst.Length]);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..dst.Length]);
            var vc = MemoryMarshal.Cast<float, Vector<float>>(c[..dst.Length]);
            var vw = new Vector<float>(w); var vm = new Vector<float>(m);
            for (var k = 0; k < vd.Length; k++) vd[k] = vw * (va[k] + vc[k]) + vm * vb[k];
            i = vd.Length * Vector<float>.Count;
        }
        for (; i < dst.Length; i++) dst[i] = w * (a[i] + c[i]) + m * b[i];
    }

    /// <summary>dst[i] *= a.</summary>
    public static void Scale(Span<float> dst, float a)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var va = new Vector<float>(a);
            for (var k = 0; k < vd.Length; k++) vd[k] *= va;
            i = vd.Length * Vector<float>.Count;
        }
        for (; i < dst.Length; i++) dst[i] *= a;
    }

    /// <summary>dst[i] = round(max(dst[i], floor)) (CT values are integers and never below -1024).</summary>
    public static void RoundMax(Span<float> dst, float floor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vd = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var vf = new Vector<float>(floor);
            for (var k = 0; k < vd.Length; k++) vd[k] = Vector.Round(Vector.Max(vd[k], vf));
            i = vd.Length * Vector<float>.Count;
        }
        for (; i < dst.Length; i++) dst[i] = MathF.Round(MathF.Max(dst[i], floor));
    }
}
