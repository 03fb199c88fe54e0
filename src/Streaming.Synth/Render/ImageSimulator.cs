using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Render;

/// <summary>
/// Turns a tissue map into CT (HU) or MRI intensities, slice by slice: tissue value + spatially correlated texture,
/// partial-volume blur (in-plane and along z), then CT quantum noise and the out-of-field circle, or MRI bias field
/// and Rician noise. Memory beyond the output is a few slices.
/// </summary>
public static class ImageSimulator
{
    private const ulong TextureStream = 0x7E47;
    private const ulong NoiseStream = 0x4015E;
    private const ulong RicianStream = 0x41C1A;

    public static float[] Simulate(PhantomParameters p, byte[] tissue, CancellationToken ct = default)
    {
        var n = p.Shape;
        if (tissue.LongLength != n.Volume) throw new ArgumentException("tissue map does not match the grid");
        int nx = n.X, ny = n.Y, nz = n.Z, nxy = nx * ny;
        var img = new float[n.Volume];
        var (baseValue, texAmp) = TissueTable.ForCase(p);
        var seed = (ulong)p.DetailSeed;
        var tmp = new float[nxy];

        // Texture correlation of ~3 mm in every direction whatever the voxel size.
        var rxy = Math.Clamp((int)Math.Round(2.5 / p.Spacing.X), 0, 5);
        var rz = Math.Clamp((int)Math.Round(2.5 / p.Spacing.Z), 0, 4);
        var ringSize = 2 * rz + 1;
        var ring = new float[ringSize][];
        var texture = new float[nxy];
        for (var k = -rz; k <= rz; k++)
        {
            var b = ring[Slot(k, ringSize)] = new float[nxy];
            TextureSlice(b, seed, k, nx, ny, rxy, tmp);
            Add(texture, b, 1);
        }
        // The z window sums ringSize unit-variance slices; fold its normalisation into the amplitudes.
        var zNorm = 1f / MathF.Sqrt(ringSize);
        for (var t = 0; t < texAmp.Length; t++) texAmp[t] *= zNorm;

        // Partial-volume weights: stronger for fine grids (the scanner's PSF spans more voxels).
        var wxy = PvWeight(p.Spacing.X);
        var wz = PvWeight(p.Spacing.Z);

        for (var k = 0; k < nz; k++)
        {
            if ((k & 15) == 0) ct.ThrowIfCancellationRequested();
            var dst = img.AsSpan(k * nxy, nxy);
            var ts = tissue.AsSpan(k * nxy, nxy);
            for (var i = 0; i < nxy; i++)
            {
                var t = ts[i];
                dst[i] = baseValue[t] + texAmp[t] * texture[i];
            }
            NoiseFields.Blur3(dst, nx, ny, wxy, tmp);
            // Slide the texture window along z.
            var next = k + rz + 1;
            var slot = Slot(k - rz, ringSize);
            Add(texture, ring[slot], -1);
            TextureSlice(ring[slot], seed, next, nx, ny, rxy, tmp);
            Add(texture, ring[slot], 1);
        }

        if (p.Modality == Modality.CT) FinishCt(p, img, wz, seed, ct);
        else FinishMr(p, img, wz, seed, baseValue, ct);
        return img;
    }

    private static void FinishCt(PhantomParameters p, float[] img, float wz, ulong seed, CancellationToken ct)
    {
        int nx = p.Shape.X, ny = p.Shape.Y, nz = p.Shape.Z, nxy = nx * ny;
        var prev = new float[nxy];
        var cur = new float[nxy];
        var noise = new float[nxy];
        var tmp = new float[nxy];
        // A [1,2,1] filter in x and y leaves 0.375 of the white noise's sd; rescale to the requested dose.
        var noiseScale = (float)(p.NoiseSdHu / 0.375);
        var (rowLo, rowHi) = FieldCircle(p);
        var pad = (float)(p.OutOfFieldValue ?? 0);
        img.AsSpan(0, nxy).CopyTo(prev);
        for (var k = 0; k < nz; k++)
        {
            if ((k & 15) == 0) ct.ThrowIfCancellationRequested();
            var dst = img.AsSpan(k * nxy, nxy);
            dst.CopyTo(cur);
            ReadOnlySpan<float> nextSlice = k + 1 < nz ? img.AsSpan((k + 1) * nxy, nxy) : cur;
            NoiseFields.White(noise, seed, NoiseStream, k);
            NoiseFields.Blur3(noise, nx, ny, 0.25f, tmp);
            VectorOps.Blend3(dst, prev, cur, nextSlice, wz);
            VectorOps.AddScaled(dst, noise, noiseScale);
            VectorOps.RoundMax(dst, -1024f);
            if (p.OutOfFieldValue is not null)
                for (var j = 0; j < ny; j++)
                {
                    var row = dst.Slice(j * nx, nx);
                    if (rowLo[j] > rowHi[j]) { row.Fill(pad); continue; }
                    row[..rowLo[j]].Fill(pad);
                    row[(rowHi[j] + 1)..].Fill(pad);
                }
            (prev, cur) = (cur, prev);
        }
    }

    private static void FinishMr(PhantomParameters p, float[] img, float wz, ulong seed, float[] baseValue, CancellationToken ct)
    {
        int nx = p.Shape.X, ny = p.Shape.Y, nz = p.Shape.Z, nxy = nx * ny;
        var prev = new float[nxy];
        var cur = new float[nxy];
        var n1 = new float[nxy];
        var n2 = new float[nxy];
        var sigma = (float)(p.MrNoiseSigma * baseValue[(int)Tissue.Liver]);
        var scale = (float)p.MrScale;
        img.AsSpan(0, nxy).CopyTo(prev);
        var bias = new float[nxy];
        for (var k = 0; k < nz; k++)
        {
            if ((k & 15) == 0) ct.ThrowIfCancellationRequested();
            var dst = img.AsSpan(k * nxy, nxy);
            dst.CopyTo(cur);
            ReadOnlySpan<float> nextSlice = k + 1 < nz ? img.AsSpan((k + 1) * nxy, nxy) : cur;
            NoiseFields.White(n1, seed, RicianStream, 2L * k);
            NoiseFields.White(n2, seed, RicianStream, 2L * k + 1);
            BiasSlice(p, k, bias);
            var c = 1 - 2 * wz;
            for (var i = 0; i < nxy; i++)
            {
                var s = (wz * (prev[i] + nextSlice[i]) + c * cur[i]) * bias[i];
                var re = s + sigma * n1[i];
                var im = sigma * n2[i];
                // Magnitude of complex Gaussian noise added to the signal: Rician, so background is not zero.
                dst[i] = MathF.Round(MathF.Sqrt(re * re + im * im) * scale);
            }
            (prev, cur) = (cur, prev);
        }
    }

    /// <summary>The multiplicative bias field of slice k (exp of a low-order polynomial in normalised coordinates).</summary>
    public static void BiasSlice(PhantomParameters p, int k, Span<float> dst)
    {
        int nx = p.Shape.X, ny = p.Shape.Y;
        var c = p.Bias;
        var z = p.Shape.Z > 1 ? 2.0 * k / (p.Shape.Z - 1) - 1 : 0;
        for (var j = 0; j < ny; j++)
        {
            var y = 2.0 * j / (ny - 1) - 1;
            for (var i = 0; i < nx; i++)
            {
                var x = 2.0 * i / (nx - 1) - 1;
                var e = c.X * x + c.Y * y + c.Z * z + c.XX * x * x + c.YY * y * y + c.ZZ * z * z + c.XY * x * y;
                dst[j * nx + i] = (float)Math.Exp(e);
            }
        }
    }

    private static void TextureSlice(float[] dst, ulong seed, int k, int nx, int ny, int r, float[] tmp)
    {
        NoiseFields.White(dst, seed, TextureStream, k);
        NoiseFields.BoxNormalized(dst, nx, ny, r, tmp);
    }

    /// <summary>Per row, the first and last column inside the reconstruction circle (diameter = grid width).</summary>
    internal static (int[] Lo, int[] Hi) FieldCircle(PhantomParameters p)
    {
        int nx = p.Shape.X, ny = p.Shape.Y;
        var lo = new int[ny]; var hi = new int[ny];
        var radius = nx * p.Spacing.X / 2;
        var cx = (nx - 1) / 2.0; var cy = (ny - 1) / 2.0;
        for (var j = 0; j < ny; j++)
        {
            var dy = (j - cy) * p.Spacing.Y;
            var h2 = radius * radius - dy * dy;
            if (h2 <= 0) { lo[j] = 1; hi[j] = 0; continue; }
            var h = Math.Sqrt(h2) / p.Spacing.X;
            lo[j] = Math.Clamp((int)Math.Ceiling(cx - h), 0, nx - 1);
            hi[j] = Math.Clamp((int)Math.Floor(cx + h), 0, nx - 1);
        }
        return (lo, hi);
    }

    private static float PvWeight(double spacing) => spacing <= 1.0 ? 0.22f : spacing <= 2.0 ? 0.16f : 0.1f;

    private static int Slot(int k, int m) => ((k % m) + m) % m;

    private static void Add(Span<float> acc, ReadOnlySpan<float> v, float sign) => VectorOps.AddScaled(acc, v, sign);
}
