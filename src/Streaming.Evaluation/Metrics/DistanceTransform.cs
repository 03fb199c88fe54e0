namespace Streaming.Evaluation.Metrics;

/// <summary>
/// Exact Euclidean distance transform in millimetres (Felzenszwalb–Huttenlocher lower envelope of parabolas, one pass
/// per axis), with anisotropic spacing. Linear in the number of voxels, so surface distances of large organs stay cheap.
/// </summary>
public static class DistanceTransform
{
    /// <summary>
    /// Squared distance (mm²) from every voxel of a (nx, ny, nz) grid, x fastest, to the nearest voxel where
    /// <paramref name="source"/> is true; +inf everywhere when there is no source voxel.
    /// </summary>
    public static double[] SquaredToNearest(ReadOnlySpan<bool> source, int nx, int ny, int nz, double sx, double sy, double sz)
    {
        var n = nx * ny * nz;
        if (source.Length != n) throw new ArgumentException($"source has {source.Length} voxels, grid {nx}x{ny}x{nz} needs {n}");
        var d = new double[n];
        for (var i = 0; i < n; i++) d[i] = source[i] ? 0 : double.PositiveInfinity;
        var max = Math.Max(nx, Math.Max(ny, nz));
        var f = new double[max]; var g = new double[max];
        var v = new int[max]; var zb = new double[max + 1];
        for (var z = 0; z < nz; z++)
            for (var y = 0; y < ny; y++) Pass(d, (y + ny * z) * nx, 1, nx, sx, f, g, v, zb);
        for (var z = 0; z < nz; z++)
            for (var x = 0; x < nx; x++) Pass(d, x + nx * ny * z, nx, ny, sy, f, g, v, zb);
        for (var y = 0; y < ny; y++)
            for (var x = 0; x < nx; x++) Pass(d, x + nx * y, nx * ny, nz, sz, f, g, v, zb);
        return d;
    }

    /// <summary>1-D transform of the line start + i*stride (i &lt; n) in place: d(p) = min_q ((p-q)s)² + f(q).</summary>
    private static void Pass(double[] d, int start, int stride, int n, double s, double[] f, double[] g, int[] v, double[] zb)
    {
        for (var i = 0; i < n; i++) f[i] = d[start + i * stride];
        var k = -1;
        for (var q = 0; q < n; q++)
        {
            if (double.IsPositiveInfinity(f[q])) continue;
            var xq = q * s;
            while (true)
            {
                if (k < 0) { k = 0; v[0] = q; zb[0] = double.NegativeInfinity; zb[1] = double.PositiveInfinity; break; }
                var xv = v[k] * s;
                // Where the parabola from q starts to lie below the one from v[k].
                var cross = ((f[q] + xq * xq) - (f[v[k]] + xv * xv)) / (2 * (xq - xv));
                if (cross <= zb[k]) { k--; continue; }
                k++; v[k] = q; zb[k] = cross; zb[k + 1] = double.PositiveInfinity;
                break;
            }
        }
        if (k < 0) return; // no finite value on this line: stays +inf
        var j = 0;
        for (var p = 0; p < n; p++)
        {
            var xp = p * s;
            while (zb[j + 1] < xp) j++;
            var dx = xp - v[j] * s;
            g[p] = dx * dx + f[v[j]];
        }
        for (var i = 0; i < n; i++) d[start + i * stride] = g[i];
    }
}
