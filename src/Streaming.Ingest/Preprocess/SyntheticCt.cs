using Streaming.Ingest.Read;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// A deterministic CT-like phantom for benchmarks: an elliptic body (soft tissue 40 HU with texture), two lungs
/// (-850 HU), a spine (700 HU), air (-1000 HU) around it and -2048 outside a circular reconstruction field of view.
/// </summary>
public static class SyntheticCt
{
    public static LoadedImage Create(Int3 shape, Vec3 spacing)
    {
        var g = VolumeGeometry.Axial(shape, spacing);
        var data = new float[shape.Volume];
        double cx = (shape.X - 1) / 2.0, cy = (shape.Y - 1) / 2.0;
        double fov = Math.Min(cx, cy);
        Parallel.For(0, shape.Z, z =>
        {
            for (var y = 0; y < shape.Y; y++)
                for (var x = 0; x < shape.X; x++)
                {
                    double u = (x - cx) / cx, v = (y - cy) / cy, r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    float val;
                    if (r2 > fov * fov) val = -2048;
                    else if (u * u / 0.64 + v * v / 0.36 > 1) val = -1000;
                    else if (((u - 0.35) * (u - 0.35) + v * v) / 0.04 < 1 || ((u + 0.35) * (u + 0.35) + v * v) / 0.04 < 1) val = -850;
                    else if (u * u + (v - 0.35) * (v - 0.35) < 0.01) val = 700;
                    else val = 40 + 20 * (float)Math.Sin(0.3 * x + 0.2 * y + 0.1 * z);
                    data[shape.Index(x, y, z)] = val;
                }
        });
        return new LoadedImage(new Volume<float>(g, data), new Dictionary<string, string> { ["source"] = "synthetic" });
    }
}
