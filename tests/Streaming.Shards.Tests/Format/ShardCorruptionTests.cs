using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Format;

public sealed class ShardCorruptionTests
{
    internal static void FlipByte(string path, long offset)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = offset;
        var b = f.ReadByte();
        f.Position = offset;
        f.WriteByte((byte)(b ^ 0x5A));
    }

    [Theory]
    [InlineData(Modality.CT, 5)]
    [InlineData(Modality.CT, 0)]
    [InlineData(Modality.MR, 6)]
    public void FlippedByteInAChunkIsReportedForThatChunkOnly(Modality modality, int chunk)
    {
        using var dir = new TempDir();
        var path = dir.Path("c.arrow");
        var rec = ShardWriter.Write(path, ShardTestData.Volume(new Int3(32, 32, 16), modality, true), ShardTestData.Header("c", modality),
            ShardTestData.Spec(new Int3(16, 16, 8)));
        var o = rec.ChunkOffsets!;
        FlipByte(path, o[chunk] + (o[chunk + 1] - o[chunk]) / 2); // middle of the batch: compressed image data

        using var s = ShardVolume.Open(path);
        var problems = s.VerifyChunks(rec.ChunkChecksums);
        var p = Assert.Single(problems);
        Assert.Equal(chunk, p.Chunk);
        Assert.Equal(path, p.File);

        var start = s.Grid.Start(chunk);
        var e = Assert.Throws<ChunkCorruptException>(() =>
            s.ReadRegion(start, new Int3(1, 1, 1), new float[1], new byte[1]));
        Assert.Equal(chunk, e.Chunk);
        Assert.Equal(path, e.File);
        Assert.Contains($"chunk {chunk}", e.Message);

        // Chunks that were not touched still read.
        var other = s.Grid.Start(chunk == 0 ? 1 : 0);
        Assert.Equal(1, s.ReadRegion(other, new Int3(1, 1, 1), new float[1], new byte[1]).ChunksDecoded);
    }

    [Fact]
    public void CatalogChecksumThatDisagreesWithTheShardIsReported()
    {
        using var dir = new TempDir();
        var path = dir.Path("d.arrow");
        var rec = ShardWriter.Write(path, ShardTestData.Volume(new Int3(16, 16, 8), Modality.CT, false), ShardTestData.Header("d", Modality.CT),
            ShardTestData.Spec(new Int3(8, 16, 8)));
        var sums = rec.ChunkChecksums!.ToArray();
        sums[1] = "0000000000000000";
        using var s = ShardVolume.Open(path);
        var p = Assert.Single(s.VerifyChunks(sums));
        Assert.Equal(1, p.Chunk);
        Assert.Contains("differs from catalog", p.Reason);
    }
}
