using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Synth.InMemory;

namespace Streaming.Sampling.Tests;

/// <summary>Small in-memory volumes whose voxel value is its own linear index, so a value names its voxel.</summary>
public static class TestVolumes
{
    public static readonly Int3 Chunk = new(8, 8, 4);

    /// <summary>Body = an axis-aligned ellipsoid filling most of the volume.</summary>
    public static ChunkStore Encoded(string id, string dataset, Int3 shape, IReadOnlySet<int>? corrupt = null, int zstd = 0)
    {
        if (shape.Volume > short.MaxValue) throw new ArgumentException("encoded volumes must fit int16 indices");
        var image = new float[shape.Volume];
        var body = new byte[shape.Volume];
        long inside = 0;
        for (var z = 0; z < shape.Z; z++)
            for (var y = 0; y < shape.Y; y++)
                for (var x = 0; x < shape.X; x++)
                {
                    var i = (int)shape.Index(x, y, z);
                    image[i] = i;
                    double dx = (x + 0.5) / shape.X - 0.5, dy = (y + 0.5) / shape.Y - 0.5, dz = (z + 0.5) / shape.Z - 0.5;
                    if (dx * dx / 0.2 + dy * dy / 0.16 + dz * dz / 0.3 < 1) { body[i] = 1; inside++; }
                }
        var info = new ShardVolumeInfo(id, dataset, Modality.CT, shape, new Vec3(1, 1, 2), inside, false);
        return ChunkStore.Create(info, image, body, Chunk, zstd, corrupt);
    }

    public static (IReadOnlyList<ShardVolumeInfo> Infos, Func<ShardVolumeInfo, IShardVolume> Open) Set(params ChunkStore[] stores)
    {
        var byId = stores.ToDictionary(s => s.Info.Id);
        return (stores.Select(s => s.Info).ToList(), info => byId[info.Id].Open());
    }

    public static SamplingOptions Options(long seed = 7, bool augment = false) => new()
    {
        PatchShape = new Int3(16, 16, 8),
        VolumesPerBatch = 3,
        PairsPerVolume = 2,
        PositionsPerPair = 40,
        Seed = seed,
        Augmentations = new AugmentationOptions { Enabled = augment },
    };

    public static (ChunkStore[] Stores, IReadOnlyList<ShardVolumeInfo> Infos, Func<ShardVolumeInfo, IShardVolume> Open) Four(IReadOnlySet<int>? corruptInB = null)
    {
        ChunkStore[] s =
        [
            Encoded("a", "FLARE", new Int3(40, 36, 20)),
            Encoded("b", "FLARE", new Int3(32, 40, 16), corruptInB),
            Encoded("c", "AMOS", new Int3(36, 32, 24)),
            Encoded("d", "AMOS", new Int3(24, 24, 12)),
        ];
        var (infos, open) = Set(s);
        return (s, infos, open);
    }
}
