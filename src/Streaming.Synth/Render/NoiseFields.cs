namespace Streaming.Synth.Render;

/// <summary>
/// Fast, deterministic noise for one slice. Each slice's generator is seeded by (case seed, stream, slice index),
/// so slices can be computed in any order and a seed always yields the same volume.
/// </summary>
internal static class NoiseFields
{
    /// <summary>
    /// Zero-mean, unit-variance uniform white noise, four 16-bit samples per 64-bit draw. Uniform rather than Gaussian
    /// because every use blurs it first, which makes it Gaussian in practice (central limit) at a fraction of the cost.
    /// </summary>
    public static void White(Span<float> dst, ulong seed, ulong stream, long slice)
    {
        var x = SynthRandom.Hash(SynthRandom.Hash(seed, stream), (ulong)slice) | 1;
        const float scale = 1.7320508f / 32768f; // U(-1,1) has variance 1/3
        var i = 0;
        for (; i + 4 <= dst.Length; i += 4)
        {
            // xorshift64*: cheap and good enough for image noise.
            x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
            var v = x * 0x2545F4914F6CDD1DUL;
            dst[i] = ((int)(v & 0xFFFF) - 32767.5f) * scale;
            dst[i + 1] = ((int)((v >> 16) & 0xFFFF) - 32767.5f) * scale;
            dst[i + 2] = ((int)((v >> 32) & 0xFFFF) - 32767.5f) * scale;
            dst[i + 3] = ((int)(v >> 48) - 32767.5f) * scale;
        }
        for (; i < dst.Length; i++)
        {
            x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
            dst[i] = ((int)((x * 0x2545F4914F6CDD1DUL) >> 48) - 32767.5f) * scale;
        }
    }

    /// <summary>In-place separable [w, 1-2w, w] filter over an nx*ny slice (edges clamped); tmp holds a whole slice.</summary>
    public static void Blur3(Span<float> slice, int nx, int ny, float w, Span<float> tmp)
    {
        var c = 1 - 2 * w;
        var t = tmp[..(nx * ny)];
        // Rows into tmp: interior by shifted spans, the two edge voxels clamped.
        for (var j = 0; j < ny; j++)
        {
            var row = slice.Slice(j * nx, nx);
            var dst = t.Slice(j * nx, nx);
            if (nx < 3) { row.CopyTo(dst); continue; }
            VectorOps.Blend3(dst[1..^1], row[..^2], row[1..^1], row[2..], w);
            dst[0] = w * (row[0] + row[1]) + c * row[0];
            dst[^1] = w * (row[^2] + row[^1]) + c * row[^1];
        }
        // Columns from tmp back into the slice.
        for (var j = 0; j < ny; j++)
        {
            var above = t.Slice(Math.Max(0, j - 1) * nx, nx);
            var here = t.Slice(j * nx, nx);
            var below = t.Slice(Math.Min(ny - 1, j + 1) * nx, nx);
            VectorOps.Blend3(slice.Slice(j * nx, nx), above, here, below, w);
        }
    }

    /// <summary>
    /// In-place 2D box blur of radius r (running sums), normalised so unit white noise stays unit variance.
    /// <paramref name="tmp"/> must hold a whole slice.
    /// </summary>
    public static void BoxNormalized(Span<float> slice, int nx, int ny, int r, Span<float> tmp)
    {
        if (r <= 0) return;
        var width = 2 * r + 1;
        var t = tmp[..(nx * ny)];
        // Rows: slice -> tmp.
        for (var j = 0; j < ny; j++)
        {
            var row = slice.Slice(j * nx, nx);
            var dst = t.Slice(j * nx, nx);
            float acc = 0;
            for (var i = -r; i <= r; i++) acc += row[Clamp(i, nx)];
            for (var i = 0; i < nx; i++)
            {
                dst[i] = acc;
                acc += row[Clamp(i + r + 1, nx)] - row[Clamp(i - r, nx)];
            }
        }
        // Columns: tmp -> slice, a running sum of whole rows (contiguous, vectorisable).
        var norm = 1f / width; // the 2D sum of width^2 unit-variance values has sd = width
        var accRow = new float[nx];
        for (var j = -r; j <= r; j++) Add(accRow, t.Slice(Clamp(j, ny) * nx, nx), 1);
        for (var j = 0; j < ny; j++)
        {
            var dst = slice.Slice(j * nx, nx);
            accRow.AsSpan().CopyTo(dst);
            VectorOps.Scale(dst, norm);
            Add(accRow, t.Slice(Clamp(j + r + 1, ny) * nx, nx), 1);
            Add(accRow, t.Slice(Clamp(j - r, ny) * nx, nx), -1);
        }
    }

    private static void Add(Span<float> acc, ReadOnlySpan<float> row, float sign) => VectorOps.AddScaled(acc, row, sign);

    private static int Clamp(int i, int n) => i < 0 ? 0 : i >= n ? n - 1 : i;
}
