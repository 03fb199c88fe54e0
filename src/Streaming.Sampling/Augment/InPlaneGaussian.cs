using System.Numerics;
using Streaming.Imaging.Volumes;

namespace Streaming.Sampling.Augment;

/// <summary>
/// Separable Gaussian filter along X then Y of every Z slice (vox2vec blurs in-plane only), SIMD across X.
/// Boundary is scipy's 'reflect'. Works in place through a per-call slice scratch buffer.
/// </summary>
public static class InPlaneGaussian
{
    public static void Apply(Span<float> data, Int3 shape, float[] kernel, Span<float> sliceScratch, Span<float> rowScratch)
    {
        int nx = shape.X, ny = shape.Y, r = kernel.Length / 2, slice = nx * ny;
        if (data.Length < shape.Volume) throw new ArgumentException("data is smaller than its shape");
        if (sliceScratch.Length < slice || rowScratch.Length < nx + 2 * r) throw new ArgumentException("scratch too small");
        for (var z = 0; z < shape.Z; z++)
        {
            var s = data.Slice(z * slice, slice);
            for (var y = 0; y < ny; y++) FilterRow(s.Slice(y * nx, nx), kernel, rowScratch, sliceScratch.Slice(y * nx, nx));
            for (var y = 0; y < ny; y++) FilterColumnRow(sliceScratch[..slice], nx, ny, y, kernel, s.Slice(y * nx, nx));
        }
    }

    /// <summary>One row along X: pad with reflection, then out[x] = sum_k w[k] pad[x + k], vectorised over x.</summary>
    private static void FilterRow(ReadOnlySpan<float> row, float[] w, Span<float> pad, Span<float> output)
    {
        int n = row.Length, r = w.Length / 2;
        for (var i = -r; i < n + r; i++) pad[i + r] = row[GaussianKernel.Reflect(i, n)];
        var vc = Vector<float>.Count;
        var x = 0;
        for (; x + vc <= n; x += vc)
        {
            var acc = Vector<float>.Zero;
            for (var k = 0; k < w.Length; k++)
                acc = Vector.FusedMultiplyAdd(new Vector<float>(pad.Slice(x + k, vc)), new Vector<float>(w[k]), acc);
            acc.CopyTo(output.Slice(x, vc));
        }
        for (; x < n; x++)
        {
            float acc = 0;
            for (var k = 0; k < w.Length; k++) acc = MathF.FusedMultiplyAdd(pad[x + k], w[k], acc);
            output[x] = acc;
        }
    }

    /// <summary>Output row y of the Y pass: a weighted sum of whole (reflected) rows, vectorised over x.</summary>
    private static void FilterColumnRow(ReadOnlySpan<float> slice, int nx, int ny, int y, float[] w, Span<float> output)
    {
        var r = w.Length / 2;
        var vc = Vector<float>.Count;
        var x = 0;
        for (; x + vc <= nx; x += vc)
        {
            var acc = Vector<float>.Zero;
            for (var k = 0; k < w.Length; k++)
            {
                var yy = GaussianKernel.Reflect(y + k - r, ny);
                acc = Vector.FusedMultiplyAdd(new Vector<float>(slice.Slice(yy * nx + x, vc)), new Vector<float>(w[k]), acc);
            }
            acc.CopyTo(output.Slice(x, vc));
        }
        for (; x < nx; x++)
        {
            float acc = 0;
            for (var k = 0; k < w.Length; k++) acc = MathF.FusedMultiplyAdd(slice[GaussianKernel.Reflect(y + k - r, ny) * nx + x], w[k], acc);
            output[x] = acc;
        }
    }
}
