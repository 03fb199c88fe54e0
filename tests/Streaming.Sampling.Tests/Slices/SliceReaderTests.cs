using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling.Slices;

namespace Streaming.Sampling.Tests.Slices;

public class SliceReaderTests
{
    // 40 x 36 x 20 voxels in 8 x 8 x 4 chunks: a chunk layer (4 slices) is 5 x 5 = 25 chunks.
    private static readonly Int3 Shape = new(40, 36, 20);

    /// <summary>Hides the chunk shape, so the reader cannot group by layer.</summary>
    private sealed class NoChunkShape(IShardVolume inner) : IShardVolume
    {
        public ShardVolumeInfo Info => inner.Info with { ChunkShape = null };
        public RegionReadStats ReadRegion(Int3 origin, Int3 size, Span<float> image, Span<byte> body, Span<byte> labels = default) =>
            inner.ReadRegion(origin, size, image, body, labels);
        public void Dispose() => inner.Dispose();
    }

    private static (RegionReadStats Stats, float[] Image) Read(IShardVolume v, int[] slices, (int, int) origin, (int X, int Y) size)
    {
        var image = new float[slices.Length * size.X * size.Y];
        return (SliceReader.Read(v, slices, origin, size, image, new SliceReadScratch()), image);
    }

    [Fact]
    public void ASliceDecodesOnlyItsChunkLayer()
    {
        using var v = TestVolumes.Encoded("a", "X", Shape).Open();
        Assert.Equal(new Int3(8, 8, 4), v.Info.ChunkShape);
        var (stats, image) = Read(v, [5], (0, 0), (40, 36));
        Assert.Equal(25, stats.ChunksDecoded);
        Assert.Equal(25, v.ChunksDecoded);
        // Voxel values are their own linear index: the slice is z = 5, x fastest.
        Assert.Equal(Shape.Index(0, 0, 5), (long)image[0]);
        Assert.Equal(Shape.Index(39, 35, 5), (long)image[^1]);
    }

    [Theory]
    [InlineData(new[] { 4, 5, 7 }, 25)]       // one layer (slices 4..7), decoded once for three slices
    [InlineData(new[] { 3, 4 }, 50)]          // adjacent slices in two layers
    [InlineData(new[] { 6, 6 }, 25)]          // a repeated slice
    [InlineData(new[] { 0, 9, 10, 19 }, 75)]  // layers 0, 2 and 4
    public void SeveralSlicesOfALayerShareOneDecode(int[] slices, int chunks)
    {
        using var v = TestVolumes.Encoded("a", "X", Shape).Open();
        var (stats, image) = Read(v, slices, (0, 0), (40, 36));
        Assert.Equal(chunks, stats.ChunksDecoded);
        for (var i = 0; i < slices.Length; i++)
            Assert.Equal(Shape.Index(3, 2, slices[i]), (long)image[i * 40 * 36 + 2 * 40 + 3]);
    }

    [Fact]
    public void WindowsOutsideTheVolumeArePaddedAndDecodeOnlyTheChunksTheyOverlap()
    {
        using var v = TestVolumes.Encoded("a", "X", Shape).Open();
        var (stats, image) = Read(v, [5, 6], (-2, -3), (8, 8));
        Assert.Equal(1, stats.ChunksDecoded); // x -2..5 and y -3..4 overlap chunk (0, 0) of layer 1 only
        Assert.Equal(-1024f, image[0]);                            // (-2, -3): air padding
        Assert.Equal(Shape.Index(0, 0, 5), (long)image[3 * 8 + 2]); // (0, 0) of slice 5
        Assert.Equal(Shape.Index(5, 4, 6), (long)image[64 + 7 * 8 + 7]);
    }

    [Fact]
    public void WithoutAChunkShapeEverySliceIsItsOwnRead()
    {
        using var inner = TestVolumes.Encoded("a", "X", Shape).Open();
        using var v = new NoChunkShape(inner);
        var (stats, _) = Read(v, [4, 5, 7], (0, 0), (40, 36));
        Assert.Equal(75, stats.ChunksDecoded);
    }

    [Fact]
    public void RejectsSlicesOutOfOrderOrOutsideTheVolume()
    {
        using var v = TestVolumes.Encoded("a", "X", Shape).Open();
        Assert.Throws<ArgumentException>(() => Read(v, [5, 4], (0, 0), (8, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Read(v, [20], (0, 0), (8, 8)));
    }
}
