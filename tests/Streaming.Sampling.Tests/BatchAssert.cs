using Streaming.Sampling.Pairs;

namespace Streaming.Sampling.Tests;

public static class BatchAssert
{
    public static void Same(PairBatch x, PairBatch y)
    {
        Assert.Equal(x.Step, y.Step);
        Assert.Equal(x.VolumeIds, y.VolumeIds);
        Assert.Equal(x.PositionsA, y.PositionsA);
        Assert.Equal(x.PositionsB, y.PositionsB);
        Assert.True(x.ViewsA.AsSpan().SequenceEqual(y.ViewsA), $"step {x.Step}: views A differ");
        Assert.True(x.ViewsB.AsSpan().SequenceEqual(y.ViewsB), $"step {x.Step}: views B differ");
        Assert.Equal(x.BytesDecoded, y.BytesDecoded);
    }
}
