using Streaming.Shards.Cache;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.FromCache;
using Streaming.Sampling.Pairs;
using Streaming.Tests;

namespace Streaming.Sampling.Tests.FromCache;

public class CacheBatchStreamsTests
{
    private static readonly PreprocessSpec Spec = new()
    {
        Name = "t", Modality = Modality.CT, TargetSpacing = new Vec3(1, 1, 1), Intensity = new IntensitySpec(),
        Body = new BodySpec(), Crop = new CropSpec { MinShape = new Int3(16, 16, 8) }, Shard = new ShardSpec { ChunkShape = new Int3(16, 16, 8) },
    };

    /// <summary>A cached CT whose voxel value encodes its own index (x + 100 y + 10000 z, offset into int16 range).</summary>
    private static void Cache(CacheStore store, string id, Int3 shape)
    {
        var g = new VolumeGeometry(shape, new Vec3(1, 1, 1), new Vec3(0, 0, 0), Mat3.Identity);
        var img = new Volume<float>(g); var body = new Volume<byte>(g);
        for (var z = 0; z < shape.Z; z++) for (var y = 0; y < shape.Y; y++) for (var x = 0; x < shape.X; x++)
        {
            img[x, y, z] = x + 40 * y + 1600 * z - 20000;
            body[x, y, z] = (byte)(x > 2 && y > 2 ? 1 : 0);
        }
        var input = new ShardInput(img, body, null, g, g, new CropBox(new Int3(0, 0, 0), shape),
            new IntensityStats(0, 0, 0, 0, 0, 0, 0, 0));
        var source = new ShardSource(id, "D", Modality.CT, ["/nowhere/" + id]);
        store.WriteAndCommit(input, VolumeRecord.Header(source, "fp" + id.GetHashCode().ToString("x8"), store.Key));
    }

    [Fact]
    public void Batches_from_a_real_shard_cache_pair_the_same_voxels_and_resume_exactly()
    {
        using var t = new TempDir();
        var store = CacheStore.Open(t.Path("cache"), Spec);
        Cache(store, "D/a", new Int3(40, 40, 20));
        Cache(store, "D/b", new Int3(36, 40, 24));
        var set = CacheVolumeSet.OpenKey(store.Layout.KeyDir);
        Assert.Equal(["D/a", "D/b"], set.Volumes.Select(v => v.Id));

        var sampling = new SamplingOptions
        {
            PatchShape = new Int3(16, 16, 8), VolumesPerBatch = 2, PositionsPerPair = 50, Seed = 7,
            Augmentations = new AugmentationOptions { Enabled = false },
        };
        var prefetch = new PrefetchOptions { Workers = 2, Capacity = 4 };
        var first = new List<PairBatch>();
        using (var s = CacheBatchStreams.Pairs(set, sampling, prefetch, 0)) for (var i = 0; i < 4; i++) first.Add(s.Take());

        var patch = 16 * 16 * 8;
        foreach (var b in first)
            for (var p = 0; p < b.Pairs; p++)
                for (var m = 0; m < b.PositionsPerPair; m++)
                {
                    float At(float[] views, int[] pos)
                    {
                        var o = (p * b.PositionsPerPair + m) * 3;
                        return views[p * patch + pos[o] * 256 + pos[o + 1] * 16 + pos[o + 2]];
                    }
                    // Un-augmented views hold the voxel's own code: equal codes = the same voxel of the same volume.
                    Assert.Equal(At(b.ViewsA, b.PositionsA), At(b.ViewsB, b.PositionsB));
                }

        using var resumed = CacheBatchStreams.Pairs(set, sampling, prefetch with { Workers = 1 }, 2);
        var again = resumed.Take();
        Assert.Equal(2, again.Step);
        Assert.Equal(first[2].ViewsA, again.ViewsA);
        Assert.Equal(first[2].PositionsB, again.PositionsB);
    }

    [Fact]
    public void Missing_cache_names_the_command_to_run()
    {
        using var t = new TempDir();
        var spec = Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-demo-3mm.yaml");
        var e = Assert.Throws<DirectoryNotFoundException>(() => CacheVolumeSet.Open(t.Path("nocache"), spec));
        Assert.Contains("streaming ingest", e.Message);
    }
}
