using Streaming.Shards.Format;

namespace Streaming.Shards.Tests.Format;

/// <summary>The SIMD row kernels of the shard writer against their scalar definitions.</summary>
public class VoxelCopyTests
{
    [Fact]
    public void RoundSaturate_rounds_half_to_even_and_saturates_in_the_vector_body_and_the_tail()
    {
        // 40 values: two 16-wide vector steps and an 8-value scalar tail hold the same hand-picked cases.
        float[] cases = [0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 2.4999998f, -1024f, 3071.5f, 40000f, -40000f, 32767.4f, 32767.5f, -32768.5f, 1e30f, -1e30f];
        var src = cases.Concat(cases).Concat(cases.Take(8)).ToArray();
        short[] expected = [0, 2, 2, 0, -2, -2, 2, -1024, 3072, 32767, -32768, 32767, 32767, -32768, 32767, -32768];
        var dst = new short[src.Length];
        Assert.True(VoxelCopy.RoundSaturate(src, dst));
        Assert.Equal(expected.Concat(expected).Concat(expected.Take(8)), dst);
    }

    [Theory]
    [InlineData(3)]   // NaN inside the first vector step
    [InlineData(37)]  // NaN in the scalar tail
    public void RoundSaturate_reports_NaN(int at)
    {
        var src = Enumerable.Range(0, 40).Select(i => (float)i).ToArray();
        src[at] = float.NaN;
        Assert.False(VoxelCopy.RoundSaturate(src, new short[40]));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(5, 77)]
    [InlineData(8, 64)]
    [InlineData(13, 31)]
    public void PackBits_sets_the_same_bits_as_one_at_a_time(int offset, int length)
    {
        var rng = new Random(offset * 1000 + length);
        // Runs of zeros and nonzeros (any nonzero value counts), like a body mask.
        var src = new byte[length];
        for (var i = 0; i < length; i++) src[i] = (byte)(i / 9 % 2 == 0 ? 0 : rng.Next(1, 256));
        src[length - 1] = 7;
        var bits = new byte[(offset + length + 7) / 8 + 1];
        bits[0] = (byte)((1 << (offset & 7)) - 1); // bits before the offset are kept, not cleared

        var set = VoxelCopy.PackBits(src, bits, offset);

        Assert.Equal(src.Count(b => b != 0), set);
        for (var i = 0; i < length; i++)
            Assert.Equal(src[i] != 0, ((bits[(offset + i) >> 3] >> ((offset + i) & 7)) & 1) == 1);
        for (var b = 0; b < (offset & 7); b++) Assert.Equal(1, (bits[0] >> b) & 1);
    }
}
