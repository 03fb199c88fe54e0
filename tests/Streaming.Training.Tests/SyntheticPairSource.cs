using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Sampling.Pairs;

namespace Streaming.Training.Tests;

/// <summary>
/// Phantom-like pairs without a shard cache (tests, benchmarks, demo): each pair is cut from its own random volume
/// of Gaussian blobs over a smooth texture; view B is offset from view A by up to <see cref="MaxShift"/> voxels per
/// axis and gets a random intensity scale/shift and noise; positions are voxels of the overlap. A pure function of
/// (seed, step), like the real sampler.
/// </summary>
public sealed class SyntheticPairSource(Int3 patchShape, int pairs, int positionsPerPair, long seed, bool includeClean = false) : IBatchSource<PairBatch>
{
    public int MaxShift { get; init; } = 3;
    /// <summary>Steps whose views are filled with NaN (to exercise divergence handling).</summary>
    public IReadOnlySet<long> NanSteps { get; init; } = new HashSet<long>();

    public PairBatch Batch(long step)
    {
        var rng = new Random(Mix(seed, step));
        int px = patchShape.X, py = patchShape.Y, pz = patchShape.Z, n = px * py * pz;
        var a = new float[pairs * n]; var b = new float[pairs * n];
        var ca = includeClean ? new float[pairs * n] : null; var cb = includeClean ? new float[pairs * n] : null;
        var posA = new int[pairs * positionsPerPair * 3]; var posB = new int[pairs * positionsPerPair * 3];
        var ids = new string[pairs];
        for (int p = 0; p < pairs; p++)
        {
            int sx = rng.Next(Math.Min(MaxShift, px - 1) + 1), sy = rng.Next(Math.Min(MaxShift, py - 1) + 1), sz = rng.Next(Math.Min(MaxShift, pz - 1) + 1);
            var vol = Phantom(rng, px + sx, py + sy, pz + sz);
            float scale = 0.8f + 0.4f * (float)rng.NextDouble(), shift = 0.2f * ((float)rng.NextDouble() - 0.5f);
            for (int z = 0; z < pz; z++)
                for (int y = 0; y < py; y++)
                    for (int x = 0; x < px; x++)
                    {
                        int i = p * n + x + px * (y + py * z);
                        float va = vol[x + (px + sx) * (y + (py + sy) * z)];
                        float vb = vol[(x + sx) + (px + sx) * ((y + sy) + (py + sy) * (z + sz))];
                        if (ca is not null) { ca[i] = va; cb![i] = vb; }
                        a[i] = va + 0.02f * Gauss(rng);
                        b[i] = vb * scale + shift + 0.02f * Gauss(rng);
                    }
            for (int m = 0; m < positionsPerPair; m++)
            {
                // a voxel inside the overlap: A index (x, y, z) with x >= sx etc.; in B it is (x - sx, ...)
                int x = sx + rng.Next(px - sx), y = sy + rng.Next(py - sy), z = sz + rng.Next(pz - sz);
                int k = (p * positionsPerPair + m) * 3;
                posA[k] = z; posA[k + 1] = y; posA[k + 2] = x;
                posB[k] = z - sz; posB[k + 1] = y - sy; posB[k + 2] = x - sx;
            }
            ids[p] = $"synthetic-{step}-{p}";
        }
        if (NanSteps.Contains(step)) Array.Fill(a, float.NaN);
        return new PairBatch
        {
            Step = step, Pairs = pairs, PatchShape = patchShape, PositionsPerPair = positionsPerPair,
            ViewsA = a, ViewsB = b, CleanA = ca, CleanB = cb, PositionsA = posA, PositionsB = posB, VolumeIds = ids,
            BytesDecoded = 4L * a.Length,
        };
    }

    private static float[] Phantom(Random rng, int nx, int ny, int nz)
    {
        var v = new float[nx * ny * nz];
        double fx = 0.2 + rng.NextDouble() * 0.6, fy = 0.2 + rng.NextDouble() * 0.6, fz = 0.2 + rng.NextDouble() * 0.6;
        var blobs = Enumerable.Range(0, 6).Select(_ => (x: rng.NextDouble() * nx, y: rng.NextDouble() * ny, z: rng.NextDouble() * nz,
            r: 1.5 + rng.NextDouble() * 3, amp: rng.NextDouble() * 2 - 1)).ToArray();
        for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
                for (int x = 0; x < nx; x++)
                {
                    double s = 0.25 * Math.Sin(fx * x + 2 * fy * y) * Math.Cos(fz * z + 0.5 * fx * y);
                    foreach (var bl in blobs)
                    {
                        double d2 = (x - bl.x) * (x - bl.x) + (y - bl.y) * (y - bl.y) + (z - bl.z) * (z - bl.z);
                        s += bl.amp * Math.Exp(-d2 / (2 * bl.r * bl.r));
                    }
                    v[x + nx * (y + ny * z)] = (float)s;
                }
        return v;
    }

    private static float Gauss(Random r) => (float)(Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble()));

    /// <summary>SplitMix64 of (seed, step) -> a seed for System.Random (whose seeded sequence is stable).</summary>
    private static int Mix(long seed, long step)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)step + 0x632BE59BD9B4E019UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }
}
