namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Puts an irregular stack (<see cref="IrregularStack"/>) onto a regular grid, as dcm2niix does for gantry tilt and
/// variable slice spacing: each slice is first shifted in-plane by its offset (bilinear; pixels that come from outside
/// the slice get <c>fill</c>), then output slices are interpolated linearly along the normal between the two input
/// slices around their real positions. Input: slices in sorted order, X (columns) fastest.
/// </summary>
public static class SliceStackResampler
{
    public static float[] Apply(float[] data, int columns, int rows, IrregularStack stack, double step, float fill)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(stack);
        var n = stack.Distance.Length;
        var plane = columns * rows;
        if (data.Length != (long)plane * n) throw new ArgumentException($"data holds {data.Length} values, expected {n} slices of {columns}x{rows}");

        // 1. In-plane shift (gantry tilt / shear): output(i, j) = input(i - ox, j - oy).
        Parallel.For(0, n, () => new float[plane], (k, _, scratch) =>
        {
            var (ox, oy) = stack.Offset[k];
            if (Math.Abs(ox) < 1e-6 && Math.Abs(oy) < 1e-6) return scratch;
            var slice = data.AsSpan(k * plane, plane);
            slice.CopyTo(scratch);
            for (var j = 0; j < rows; j++)
            {
                var y = j - oy;
                var y0 = (int)Math.Floor(y); var fy = y - y0;
                for (var i = 0; i < columns; i++)
                {
                    var x = i - ox;
                    var x0 = (int)Math.Floor(x); var fx = x - x0;
                    double v00 = At(scratch, columns, rows, x0, y0, fill), v10 = At(scratch, columns, rows, x0 + 1, y0, fill);
                    double v01 = At(scratch, columns, rows, x0, y0 + 1, fill), v11 = At(scratch, columns, rows, x0 + 1, y0 + 1, fill);
                    slice[j * columns + i] = (float)((v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy);
                }
            }
            return scratch;
        }, _ => { });

        // 2. Along the normal, from the real positions.
        var m = stack.OutputSlices;
        if (m == n && IsRegular(stack.Distance, step)) return data;
        var result = new float[(long)plane * m];
        Parallel.For(0, m, o =>
        {
            var t = o * step;
            var k = Array.BinarySearch(stack.Distance, t);
            if (k < 0) k = ~k - 1;
            k = Math.Clamp(k, 0, n - 2);
            var d0 = stack.Distance[k]; var d1 = stack.Distance[k + 1];
            var w = Math.Clamp((t - d0) / (d1 - d0), 0, 1);
            var a = data.AsSpan(k * plane, plane); var b = data.AsSpan((k + 1) * plane, plane);
            var into = result.AsSpan(o * plane, plane);
            for (var p = 0; p < plane; p++) into[p] = (float)(a[p] * (1 - w) + b[p] * w);
        });
        return result;
    }

    private static bool IsRegular(double[] distance, double step)
    {
        for (var k = 0; k < distance.Length; k++) if (Math.Abs(distance[k] - k * step) > 1e-6) return false;
        return true;
    }

    private static float At(float[] s, int columns, int rows, int x, int y, float fill) =>
        (uint)x < (uint)columns && (uint)y < (uint)rows ? s[y * columns + x] : fill;
}
