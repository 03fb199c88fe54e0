using System.IO.Hashing;
using Streaming.Shards.Format;

namespace Streaming.Shards.Tests.Format;

public sealed class ChunkChecksumTests
{
    [Fact]
    public void IsXxh64OfImageThenMaskedBitsThenLabels()
    {
        byte[] image = [1, 2, 3, 4, 5, 6];         // three int16 voxels
        byte[] bits = [0b1111_1101];               // 3 voxels: 1,0,1; the high 5 bits are padding
        byte[] labels = [7, 8, 9];
        byte[] concat = [1, 2, 3, 4, 5, 6, 0b0000_0101, 7, 8, 9];
        Assert.Equal(XxHash64.HashToUInt64(concat), ChunkChecksum.Compute(image, bits, 3, labels));
        Assert.Equal(XxHash64.HashToUInt64([1, 2, 3, 4, 5, 6, 0b0000_0101]), ChunkChecksum.Compute(image, bits, 3, default));
        Assert.Equal("00000000000000ff", ChunkChecksum.ToHex(255));
    }

    [Fact]
    public void BitKernelsRoundTripAtAnyBitOffset()
    {
        var rng = new Random(5);
        var src = Enumerable.Range(0, 83).Select(_ => (byte)rng.Next(2)).ToArray();
        for (var offset = 0; offset < 17; offset++)
        {
            var bits = new byte[(offset + src.Length + 7) / 8];
            Assert.Equal(src.Count(b => b == 1), VoxelCopy.PackBits(src, bits, offset));
            var back = new byte[src.Length];
            VoxelCopy.UnpackBits(bits, offset, back);
            Assert.Equal(src, back);
        }
        var shorts = Enumerable.Range(-20, 37).Select(i => (short)(i * 911)).ToArray();
        var floats = new float[shorts.Length];
        VoxelCopy.Widen(shorts, floats);
        Assert.Equal(shorts.Select(s => (float)s), floats);
    }
}
