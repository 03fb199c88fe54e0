using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void FirstTorchCallWorks_OnThisGlibcxx()
    {
        using var t = ones(2).sum();
        Assert.Equal(2f, t.item<float>());
    }
}
