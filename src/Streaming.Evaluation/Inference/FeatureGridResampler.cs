using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Inference;

/// <summary>
/// Puts feature maps computed on the model's grid (canonical, resampled, body-cropped) onto another grid, usually the
/// source image's, by trilinear interpolation in physical space, so the arrays line up voxel for voxel with the source
/// file in nibabel. Target voxels outside the model's grid (outside the body crop) get <c>outside</c>.
/// </summary>
public static class FeatureGridResampler
{
    /// <param name="maps">Channels one after another, each x-fastest on <paramref name="from"/>.</param>
    public static float[] Linear(ReadOnlySpan<float> maps, int channels, VolumeGeometry from, VolumeGeometry to, float outside = 0)
    {
        var fn = from.Shape.Volume;
        if (channels < 1 || maps.Length != fn * channels) throw new ArgumentException($"{maps.Length} values are not {channels} maps of {from.Shape}");
        var tn = to.Shape.Volume;
        var output = new float[tn * channels];
        // The source index of target voxel (i, j, k) is affine in (i, j, k): base + i*dx + j*dy + k*dz.
        var b = from.PhysicalToIndex(to.IndexToPhysical(0, 0, 0));
        var dx = from.PhysicalToIndex(to.IndexToPhysical(1, 0, 0)) - b;
        var dy = from.PhysicalToIndex(to.IndexToPhysical(0, 1, 0)) - b;
        var dz = from.PhysicalToIndex(to.IndexToPhysical(0, 0, 1)) - b;
        var fs = from.Shape; var ts = to.Shape;
        for (var c = 0; c < channels; c++)
        {
            var src = maps.Slice((int)(c * fn), (int)fn);
            var dst = output.AsSpan((int)(c * tn), (int)tn);
            for (var k = 0; k < ts.Z; k++)
                for (var j = 0; j < ts.Y; j++)
                {
                    var p = b + dy * j + dz * k;
                    var o = (int)ts.Index(0, j, k);
                    for (var i = 0; i < ts.X; i++, p += dx)
                        dst[o + i] = Sample(src, fs, p.X, p.Y, p.Z, outside);
                }
        }
        return output;
    }

    private static float Sample(ReadOnlySpan<float> v, Int3 s, double x, double y, double z, float outside)
    {
        // Half a voxel beyond the edge centres still belongs to the grid (clamped); further out is outside.
        if (x < -0.5 || y < -0.5 || z < -0.5 || x > s.X - 0.5 || y > s.Y - 0.5 || z > s.Z - 0.5) return outside;
        x = Math.Clamp(x, 0, s.X - 1); y = Math.Clamp(y, 0, s.Y - 1); z = Math.Clamp(z, 0, s.Z - 1);
        int x0 = (int)x, y0 = (int)y, z0 = (int)z;
        int x1 = Math.Min(x0 + 1, s.X - 1), y1 = Math.Min(y0 + 1, s.Y - 1), z1 = Math.Min(z0 + 1, s.Z - 1);
        double fx = x - x0, fy = y - y0, fz = z - z0;
        var c00 = At(v, s, x0, y0, z0) * (1 - fx) + At(v, s, x1, y0, z0) * fx;
        var c10 = At(v, s, x0, y1, z0) * (1 - fx) + At(v, s, x1, y1, z0) * fx;
        var c01 = At(v, s, x0, y0, z1) * (1 - fx) + At(v, s, x1, y0, z1) * fx;
        var c11 = At(v, s, x0, y1, z1) * (1 - fx) + At(v, s, x1, y1, z1) * fx;
        return (float)(((c00 * (1 - fy)) + (c10 * fy)) * (1 - fz) + ((c01 * (1 - fy)) + (c11 * fy)) * fz);
    }

    private static double At(ReadOnlySpan<float> v, Int3 s, int x, int y, int z) => v[(int)s.Index(x, y, z)];
}
