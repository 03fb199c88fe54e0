using Streaming.Ingest.Shards;
using Streaming.Ingest.Volumes;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Synthetic;

/// <summary>A CT-like phantom (elliptic body, two lungs, a spine, noisy soft tissue) for benchmarks.</summary>
public static class SyntheticCt
{
    public sealed record Phantom(ShardVolumeInfo Info, float[] Image, byte[] Body);

    public static Phantom Create(string id, string dataset, Int3 shape, Vec3 spacing, uint seed)
    {
        var image = new float[shape.Volume];
        var body = new byte[shape.Volume];
        double cx = shape.X / 2.0, cy = shape.Y / 2.0, ax = shape.X * 0.42, ay = shape.Y * 0.33;
        long inside = 0;
        for (var z = 0; z < shape.Z; z++)
        {
            var taper = 1 - 0.15 * Math.Abs(z / (double)shape.Z - 0.5);
            var lungs = z > shape.Z * 0.45;
            for (var y = 0; y < shape.Y; y++)
                for (var x = 0; x < shape.X; x++)
                {
                    var i = (int)shape.Index(x, y, z);
                    double dx = (x - cx) / (ax * taper), dy = (y - cy) / (ay * taper);
                    var noise = (VoxelHash.Unit(VoxelHash.Hash(seed, (uint)i)) - 0.5f) * 40f;
                    if (dx * dx + dy * dy > 1) { image[i] = -1000 + noise * 0.25f; continue; }
                    body[i] = 1; inside++;
                    double lx = Math.Abs(x - cx) / (ax * 0.45) - 1.0, ly = (y - cy) / (ay * 0.6);
                    var spine = Math.Pow((x - cx) / (ax * 0.12), 2) + Math.Pow((y - cy - ay * 0.6) / (ay * 0.18), 2) < 1;
                    image[i] = spine ? 700 + noise
                        : lungs && lx * lx + ly * ly < 0.55 ? -850 + noise
                        : 40 + 25 * (float)Math.Sin(x * 0.21 + y * 0.13 + z * 0.31) + noise;
                }
        }
        var info = new ShardVolumeInfo(id, dataset, Modality.CT, shape, spacing, inside, false);
        return new Phantom(info, image, body);
    }
}
