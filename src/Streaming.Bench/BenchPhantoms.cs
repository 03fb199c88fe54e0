using Streaming.Imaging.Volumes;
using Streaming.Ingest.Preprocess;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Synth;
using Streaming.Synth.InMemory;

namespace Streaming.Bench;

/// <summary>
/// Benchmark inputs, all from Synth's phantoms (<see cref="GridPhantom"/>), in the form each benchmark consumes:
/// the CT image in HU, its body mask as ingest computes it (default <see cref="BodySpec"/>), a shard writer's input,
/// or an in-memory chunk store with the cache's layout.
/// </summary>
public static class BenchPhantoms
{
    public static Volume<float> Ct(Int3 shape, Vec3 spacing, long seed) => GridPhantom.Generate(shape, spacing, seed).Image;

    public static Volume<byte> Body(Volume<float> image)
    {
        var spec = new BodySpec();
        return BodyMask.Compute(image, spec.AirThreshold, spec.Fill).Mask;
    }

    /// <summary>A phantom handed to the shard writer as if preprocessed already: its own grid, no crop.</summary>
    public static ShardInput ShardInput(Int3 shape, Vec3 spacing, long seed)
    {
        var image = Ct(shape, spacing, seed);
        var body = Body(image);
        return new ShardInput(image, body, null, image.Geometry, image.Geometry, new CropBox(new Int3(0, 0, 0), shape),
            IntensityStatistics.Compute(image.Data, body.Data));
    }

    /// <summary>A phantom as an in-memory chunk store with the shard cache's layout (int16 + body bits, Zstd chunks).</summary>
    public static ChunkStore Store(string id, string dataset, Int3 shape, Vec3 spacing, long seed, Int3 chunkShape, int zstdLevel)
    {
        var image = Ct(shape, spacing, seed);
        var body = Body(image);
        var inside = body.Data.LongCount(b => b != 0);
        var info = new ShardVolumeInfo(id, dataset, Modality.CT, shape, spacing, inside, false);
        return ChunkStore.Create(info, image.Data, body.Data, chunkShape, zstdLevel);
    }
}
