using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// Resampling of an arbitrarily oriented grid onto an identity-direction grid. The input continuous index is affine in
/// the output index, so each row starts from one precomputed point and steps by a constant vector (no per-voxel matrix
/// product); the in-field x range of a row is solved up front so the inner loop has no bounds tests.
/// </summary>
internal static class ObliqueResampler
{
    /// <summary>Slack (in input voxels) that keeps voxels exactly on the input's border inside despite rounding.</summary>
    private const double Eps = 1e-6;

    /// <summary>Trilinear interpolation; outside the input's field of view the value is <paramref name="outside"/>.</summary>
    public static float[] Trilinear(Volume<float> input, VolumeGeometry output, float outside, int maxDop, CancellationToken ct)
    {
        var map = IndexMap.Create(input.Geometry, output);
        var src = input.Data;
        var n = input.Shape;
        var dst = new float[output.Shape.Volume];
        int nxOut = output.Shape.X, nyOut = output.Shape.Y;
        long sy = n.X, sz = (long)n.X * n.Y;
        // A one-voxel-thick axis has no upper neighbour: step 0 and weight 0.
        long dx = n.X > 1 ? 1 : 0, dy = n.Y > 1 ? sy : 0, dz = n.Z > 1 ? sz : 0;
        int mx = Math.Max(n.X - 2, 0), my = Math.Max(n.Y - 2, 0), mz = Math.Max(n.Z - 2, 0);
        double cxMax = n.X - 1, cyMax = n.Y - 1, czMax = n.Z - 1;
        var e = map.StepX;

        ParallelSlices.For(output.Shape.Z, maxDop, ct, z =>
        {
            for (var y = 0; y < nyOut; y++)
            {
                var row = dst.AsSpan((int)(((long)z * nyOut + y) * nxOut), nxOut);
                var b = map.RowStart(y, z);
                var (start, end) = map.InsideRange(b, n, nxOut, Eps);
                if (start > end) { row.Fill(outside); continue; }
                row[..start].Fill(outside);
                row[(end + 1)..].Fill(outside);
                for (var x = start; x <= end; x++)
                {
                    var cx = Math.Clamp(b.X + x * e.X, 0, cxMax);
                    var cy = Math.Clamp(b.Y + x * e.Y, 0, cyMax);
                    var cz = Math.Clamp(b.Z + x * e.Z, 0, czMax);
                    int ix = Math.Min((int)cx, mx), iy = Math.Min((int)cy, my), iz = Math.Min((int)cz, mz);
                    float fx = (float)(cx - ix), fy = (float)(cy - iy), fz = (float)(cz - iz);
                    var p = ix + sy * iy + sz * iz;
                    float c00 = src[p] + fx * (src[p + dx] - src[p]);
                    float c10 = src[p + dy] + fx * (src[p + dy + dx] - src[p + dy]);
                    float c01 = src[p + dz] + fx * (src[p + dz + dx] - src[p + dz]);
                    float c11 = src[p + dz + dy] + fx * (src[p + dz + dy + dx] - src[p + dz + dy]);
                    float c0 = c00 + fy * (c10 - c00);
                    float c1 = c01 + fy * (c11 - c01);
                    row[x] = c0 + fz * (c1 - c0);
                }
            }
        });
        return dst;
    }

    /// <summary>Nearest-neighbour sampling (for label maps); outside the input's field of view the value is 0.</summary>
    public static T[] Nearest<T>(Volume<T> input, VolumeGeometry output, int maxDop, CancellationToken ct) where T : unmanaged
    {
        var map = IndexMap.Create(input.Geometry, output);
        var src = input.Data;
        var n = input.Shape;
        var dst = new T[output.Shape.Volume];
        int nxOut = output.Shape.X, nyOut = output.Shape.Y;
        long sy = n.X, sz = (long)n.X * n.Y;
        var e = map.StepX;

        ParallelSlices.For(output.Shape.Z, maxDop, ct, z =>
        {
            for (var y = 0; y < nyOut; y++)
            {
                var row = dst.AsSpan((int)(((long)z * nyOut + y) * nxOut), nxOut);
                var b = map.RowStart(y, z);
                var (start, end) = map.InsideRange(b, n, nxOut, Eps);
                for (var x = start; x <= end; x++)
                {
                    var ix = Math.Clamp((int)Math.Floor(b.X + x * e.X + 0.5), 0, n.X - 1);
                    var iy = Math.Clamp((int)Math.Floor(b.Y + x * e.Y + 0.5), 0, n.Y - 1);
                    var iz = Math.Clamp((int)Math.Floor(b.Z + x * e.Z + 0.5), 0, n.Z - 1);
                    row[x] = src[ix + sy * iy + sz * iz];
                }
            }
        });
        return dst;
    }

    /// <summary>Input continuous index as an affine function of the output index: c = C0 + x*StepX + y*StepY + z*StepZ.</summary>
    private sealed record IndexMap(Vec3 C0, Vec3 StepX, Vec3 StepY, Vec3 StepZ)
    {
        public static IndexMap Create(VolumeGeometry input, VolumeGeometry output)
        {
            // c = S^-1 D^-1 (p - O_in), p = O_out + D_out (T ∘ o).
            var inv = input.Direction.Inverse();
            Vec3 ToIndex(Vec3 physicalOffset)
            {
                var v = inv * physicalOffset;
                return new Vec3(v.X / input.Spacing.X, v.Y / input.Spacing.Y, v.Z / input.Spacing.Z);
            }
            return new IndexMap(
                ToIndex(output.Origin - input.Origin),
                ToIndex(output.Direction.Column(0) * output.Spacing.X),
                ToIndex(output.Direction.Column(1) * output.Spacing.Y),
                ToIndex(output.Direction.Column(2) * output.Spacing.Z));
        }

        public Vec3 RowStart(int y, int z) => C0 + StepY * y + StepZ * z;

        /// <summary>The x range [start, end] of a row whose input index lies within [-eps, n - 1 + eps] on every axis.</summary>
        public (int Start, int End) InsideRange(Vec3 b, Int3 n, int nxOut, double eps)
        {
            double lo = 0, hi = nxOut - 1;
            for (var a = 0; a < 3; a++)
            {
                double s = b[a], d = StepX[a], max = n[a] - 1;
                if (Math.Abs(d) < 1e-12)
                {
                    if (s < -eps || s > max + eps) return (0, -1);
                    continue;
                }
                var x1 = (-eps - s) / d;
                var x2 = (max + eps - s) / d;
                if (d < 0) (x1, x2) = (x2, x1);
                lo = Math.Max(lo, x1);
                hi = Math.Min(hi, x2);
            }
            if (!(lo <= hi)) return (0, -1);
            return ((int)Math.Ceiling(lo), (int)Math.Floor(hi));
        }
    }
}
