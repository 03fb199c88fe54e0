using Streaming.Training.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Logging;

public class EmbeddingSpreadTests
{
    [Fact]
    public void FlagsAConstantEmbedding()
    {
        using var constant = nn.functional.normalize(ones([2, 16, 8, 8]), dim: 1);
        var s = EmbeddingSpread.Measure(constant);
        Assert.Equal(0, s.Value, 6);
        Assert.True(s.Collapsed);
    }

    [Fact]
    public void SpreadEmbeddingsScoreNearOneAndPass()
    {
        using var e = nn.functional.normalize(randn([4, 16, 8, 8], generator: new Generator(1)), dim: 1);
        var s = EmbeddingSpread.Measure(e);
        Assert.InRange(s.Value, 0.9, 1.05);
        Assert.False(s.Collapsed);
    }

    [Fact]
    public void HandComputedTwoVectors()
    {
        // (1, 0) and (0, 1): per-dimension std (population) 0.5 and 0.5 -> mean 0.5 x sqrt(2) = 0.7071.
        using var z = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        Assert.Equal(Math.Sqrt(0.5), EmbeddingSpread.Measure(z).Value, 6);
        // Nearly collapsed: every vector within a small angle of one direction is flagged too.
        using var near = nn.functional.normalize(ones([64, 8]).add(randn([64, 8], generator: new Generator(2)).mul(0.01)), dim: 1);
        Assert.True(EmbeddingSpread.Measure(near).Collapsed);
    }
}
