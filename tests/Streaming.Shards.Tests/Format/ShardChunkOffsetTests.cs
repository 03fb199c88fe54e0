using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Streaming.Imaging.Volumes;
using Streaming.Shards.Format;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Format;

/// <summary>
/// The catalog's chunkOffsets locate each chunk's record batch message: the file is the magic (8 bytes), the schema
/// message, one batch per chunk, the footer. Each slice is read back with Arrow's own stream reader.
/// </summary>
public sealed class ShardChunkOffsetTests
{
    [Theory]
    [InlineData(Modality.CT, true)]
    [InlineData(Modality.MR, false)]
    public void EachOffsetStartsThatChunksRecordBatch(Modality modality, bool labels)
    {
        using var dir = new TempDir();
        var path = dir.Path("o.arrow");
        var shape = new Int3(37, 21, 11);
        var spec = ShardTestData.Spec(new Int3(16, 8, 4));
        var rec = ShardWriter.Write(path, ShardTestData.Volume(shape, modality, labels), ShardTestData.Header("o", modality), spec);
        var bytes = File.ReadAllBytes(path);
        var o = rec.ChunkOffsets!;
        var grid = ChunkGrid.Create(shape, spec.ChunkShape);
        Assert.Equal(27, o.Count);

        // Before chunk 0: the schema message and nothing else (chunk 0's offset used to be 8, the schema's start).
        var schema = bytes[8..(int)o[0]];
        using (var r = new ArrowStreamReader(new MemoryStream(schema), new CompressionCodecFactory()))
        {
            Assert.Equal(labels ? 3 : 2, r.Schema.FieldsList.Count);
            Assert.Null(r.ReadNextRecordBatch());
        }

        // [offset i, offset i+1) is exactly chunk i's batch, for every chunk but the last (nothing marks its end).
        for (var i = 0; i < o.Count - 1; i++)
        {
            using var r = new ArrowStreamReader(new MemoryStream([.. schema, .. bytes[(int)o[i]..(int)o[i + 1]]]), new CompressionCodecFactory());
            using (var batch = r.ReadNextRecordBatch())
                Assert.Equal(grid.Extent(i).Volume, (long)batch.Length);
            Assert.Null(r.ReadNextRecordBatch());
        }
    }
}
