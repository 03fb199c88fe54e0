using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Tests.Format;

/// <summary>Small deterministic volumes for shard tests.</summary>
internal static class ShardTestData
{
    public static ShardInput Volume(Int3 shape, Modality modality, bool labels, int seed = 1)
    {
        var g = new VolumeGeometry(shape, new Vec3(0.8, 0.9, 2.5), new Vec3(-10, 20.5, 300), Mat3.Identity);
        var rng = new Random(seed);
        var image = new Volume<float>(g);
        var body = new Volume<byte>(g);
        var lab = labels ? new Volume<byte>(g) : null;
        for (var i = 0; i < image.Data.Length; i++)
        {
            image.Data[i] = modality == Modality.CT
                ? (float)(rng.NextDouble() * 3000 - 1100)
                : (float)rng.NextDouble();
            body.Data[i] = (byte)(rng.Next(3) == 0 ? 0 : 1);
            if (lab is not null) lab.Data[i] = (byte)rng.Next(14);
        }
        var source = new VolumeGeometry(new Int3(shape.X + 3, shape.Y + 2, shape.Z + 1), new Vec3(0.7, 0.7, 3), new Vec3(1, 2, 3),
            new Mat3(1, 0, 0, 0, -1, 0, 0, 0, 1));
        return new ShardInput(image, body, lab, source, g with { Shape = shape + new Int3(4, 4, 2) },
            new CropBox(new Int3(2, -1, 1), shape), new IntensityStats(-1100, 1900, 400, 860, -1090, 1890, 35, 20));
    }

    public static VolumeRecord Header(string id, Modality m) => new()
    {
        Id = id,
        Dataset = "unit",
        Modality = m,
        SourcePaths = [$"/data/{id}.nii.gz"],
        SourceFingerprint = "fp-" + id,
        SpecKey = "0123456789abcdef",
    };

    public static ShardSpec Spec(Int3 chunk, int level = 1) => new() { ChunkShape = chunk, ZstdLevel = level };

    /// <summary>Crops region [origin, origin+size) out of an X-fastest array of the given shape.</summary>
    public static T[] Crop<T>(T[] data, Int3 shape, Int3 origin, Int3 size)
    {
        var r = new T[size.Volume];
        for (var z = 0; z < size.Z; z++)
            for (var y = 0; y < size.Y; y++)
                for (var x = 0; x < size.X; x++)
                    r[x + size.X * (y + size.Y * z)] = data[shape.Index(origin.X + x, origin.Y + y, origin.Z + z)];
        return r;
    }
}
