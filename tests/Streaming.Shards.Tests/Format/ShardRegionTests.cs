using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Format;

public sealed class ShardRegionTests
{
    [Fact]
    public void RandomRegionsEqualTheSameCropOfReadAll()
    {
        using var dir = new TempDir();
        var shape = new Int3(37, 21, 11);
        var v = ShardTestData.Volume(shape, Modality.CT, labels: true, seed: 3);
        var path = dir.Path("r.arrow");
        ShardWriter.Write(path, v, ShardTestData.Header("r", Modality.CT), ShardTestData.Spec(new Int3(16, 8, 4)));
        using var s = ShardVolume.Open(path);
        var all = s.ReadAll();
        var rng = new Random(11);
        var regions = new List<(Int3 O, Int3 S)>
        {
            (new Int3(0, 0, 0), shape),
            (new Int3(36, 20, 10), new Int3(1, 1, 1)),       // last voxel, last (clipped) chunk
            (new Int3(15, 7, 3), new Int3(2, 2, 2)),         // straddles 8 chunks
            (new Int3(32, 16, 8), new Int3(5, 5, 3)),        // exactly the clipped corner chunk
        };
        for (var k = 0; k < 60; k++)
        {
            var o = new Int3(rng.Next(shape.X), rng.Next(shape.Y), rng.Next(shape.Z));
            var sz = new Int3(1 + rng.Next(shape.X - o.X), 1 + rng.Next(shape.Y - o.Y), 1 + rng.Next(shape.Z - o.Z));
            regions.Add((o, sz));
        }
        foreach (var (o, sz) in regions)
        {
            var img = new float[sz.Volume];
            var body = new byte[sz.Volume];
            var lab = new byte[sz.Volume];
            var stats = s.ReadRegion(o, sz, img, body, lab);
            Assert.Equal(ShardTestData.Crop(all.Image.Data, shape, o, sz), img);
            Assert.Equal(ShardTestData.Crop(v.Body.Data, shape, o, sz), body);
            Assert.Equal(ShardTestData.Crop(v.Labels!.Data, shape, o, sz), lab);
            var chunks = ((o.X + sz.X - 1) / 16 - o.X / 16 + 1) * ((o.Y + sz.Y - 1) / 8 - o.Y / 8 + 1) * ((o.Z + sz.Z - 1) / 4 - o.Z / 4 + 1);
            Assert.Equal(chunks, stats.ChunksDecoded);
        }
    }

    [Fact]
    public void RegionsOutsideTheVolumeAreRejected()
    {
        using var dir = new TempDir();
        var path = dir.Path("o.arrow");
        ShardWriter.Write(path, ShardTestData.Volume(new Int3(10, 10, 10), Modality.CT, false), ShardTestData.Header("o", Modality.CT),
            ShardTestData.Spec(new Int3(4, 4, 4)));
        using var s = ShardVolume.Open(path);
        var buf = new float[1000];
        var mask = new byte[1000];
        Assert.Throws<ArgumentOutOfRangeException>(() => s.ReadRegion(new Int3(-1, 0, 0), new Int3(2, 2, 2), buf, mask));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.ReadRegion(new Int3(5, 5, 5), new Int3(6, 1, 1), buf, mask));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.ReadRegion(new Int3(0, 0, 0), new Int3(0, 1, 1), buf, mask));
        Assert.Throws<ArgumentException>(() => s.ReadRegion(new Int3(0, 0, 0), new Int3(10, 10, 10), new float[999], mask));
    }

    /// <summary>
    /// 128x128x32 patches over 64x64x16 chunks: aligned → 8 chunks; off by one voxel → 27 chunks, whose decoded bytes are
    /// 27 * (65536*2 + 8192) = 3,760,128 = exactly 3.375 x the patch's own 524288*2 + 65536 = 1,114,112 bytes.
    /// </summary>
    [Fact]
    public void PatchReadsDecodeEightOrTwentySevenChunksWithinBudget()
    {
        using var dir = new TempDir();
        var shape = new Int3(192, 192, 48);
        var path = dir.Path("p.arrow");
        ShardWriter.Write(path, ShardTestData.Volume(shape, Modality.CT, false), ShardTestData.Header("p", Modality.CT),
            ShardTestData.Spec(new Int3(64, 64, 16)));
        using var s = ShardVolume.Open(path);
        var patch = new Int3(128, 128, 32);
        var img = new float[patch.Volume];
        var body = new byte[patch.Volume];
        const long patchBytes = 128 * 128 * 32 * 2 + 128 * 128 * 32 / 8;

        var aligned = s.ReadRegion(new Int3(64, 0, 16), patch, img, body);
        Assert.Equal(8, aligned.ChunksDecoded);
        Assert.Equal(8 * (65536 * 2 + 8192), aligned.BytesDecoded);

        var worst = s.ReadRegion(new Int3(1, 63, 15), patch, img, body);
        Assert.Equal(27, worst.ChunksDecoded);
        Assert.Equal(3_760_128, worst.BytesDecoded);
        Assert.True(worst.BytesDecoded <= 3.375 * patchBytes);
        Assert.Equal(new RegionReadStats(35, 8 * 139264 + 3_760_128), s.Total);
    }

    [Fact]
    public void ReadingOneChunkReadsOnlyThatBatchFromTheFile()
    {
        using var dir = new TempDir();
        var path = dir.Path("b.arrow");
        var rec = ShardWriter.Write(path, ShardTestData.Volume(new Int3(32, 32, 16), Modality.CT, true), ShardTestData.Header("b", Modality.CT),
            ShardTestData.Spec(new Int3(16, 16, 8)));
        using var s = ShardVolume.Open(path);
        var offsets = rec.ChunkOffsets!;
        var before = s.FileBytesRead;
        // Chunk 5 = grid (1, 0, 1): voxels x 16..31, y 0..15, z 8..15.
        s.ReadRegion(new Int3(20, 3, 9), new Int3(2, 2, 2), new float[8], new byte[8], new byte[8]);
        var block = offsets[6] - offsets[5];
        Assert.Equal(block, s.FileBytesRead - before);
        Assert.True(block * 4 < rec.ShardBytes, $"a batch ({block} B) should be a small part of the file ({rec.ShardBytes} B)");
    }
}

public sealed class ShardChunkCacheTests
{
    [Fact]
    public void OverlappingReadsReuseCachedChunksAndReturnTheSameVoxels()
    {
        using var dir = new TempDir();
        var shape = new Int3(48, 48, 24);
        var v = ShardTestData.Volume(shape, Modality.CT, labels: true, seed: 9);
        var path = dir.Path("l.arrow");
        ShardWriter.Write(path, v, ShardTestData.Header("l", Modality.CT), ShardTestData.Spec(new Int3(16, 16, 8)));
        using var cached = ShardVolume.Open(path, cachedChunks: 8);
        using var plain = ShardVolume.Open(path);
        var size = new Int3(20, 20, 10); // 2x2x2 chunks at these origins
        // Every region below spans chunks 0..1 on each axis: after the first read all 8 are cached.
        (Int3 O, int Decoded)[] reads = [(new Int3(0, 0, 0), 8), (new Int3(10, 10, 5), 0), (new Int3(12, 12, 6), 0), (new Int3(0, 0, 0), 0)];
        foreach (var (o, decoded) in reads)
        {
            var a = (img: new float[size.Volume], body: new byte[size.Volume], lab: new byte[size.Volume]);
            var b = (img: new float[size.Volume], body: new byte[size.Volume], lab: new byte[size.Volume]);
            var st = cached.ReadRegion(o, size, a.img, a.body, a.lab);
            plain.ReadRegion(o, size, b.img, b.body, b.lab);
            Assert.Equal(decoded, st.ChunksDecoded);
            Assert.Equal(b.img, a.img);
            Assert.Equal(b.body, a.body);
            Assert.Equal(b.lab, a.lab);
        }
        // Reading the far corner chunk 26 evicts the least recently used one, chunk 0 (touched first by the last read):
        // voxel (0,0,0) then needs a decode while chunk 13 (touched last) is still cached.
        var one = new Int3(16, 16, 8);
        Assert.Equal(1, cached.ReadRegion(new Int3(32, 32, 16), one, new float[one.Volume], new byte[one.Volume]).ChunksDecoded);
        var voxel = new Int3(1, 1, 1);
        Assert.Equal(1, cached.ReadRegion(new Int3(0, 0, 0), voxel, new float[1], new byte[1]).ChunksDecoded);
        Assert.Equal(0, cached.ReadRegion(new Int3(16, 16, 8), voxel, new float[1], new byte[1]).ChunksDecoded);
    }
}
