using Streaming.Tests;
using Streaming.Bench.Training;
using Streaming.Training.Tests;

namespace Streaming.Bench.Tests.Training;

public class PretrainBenchTests
{
    [Fact]
    public void DemoCase_ReportsHandCountedParametersAndPositiveTimes()
    {
        using var dir = new TempDir();
        // No full-size FPN (no thread counts), only a tiny "demo" config: base 2, 2 levels, 1 block per level, head 6-16-16-8.
        var cases = PretrainBench.Run(new PretrainBenchOptions
        {
            ThreadCounts = [], WarmupSteps = 1, DemoTimedSteps = 2, Demo = Tiny.Config(dir.Root, steps: 3, checkpointEvery: 3),
        });
        var c = Assert.Single(cases);
        // Backbone: stem 1*2*27+2 = 56; widen 2*4+4 = 12; level-0 block (BN 2x4 + conv 2x108) = 224; level-1 block
        // (BN 2x8 + conv 2x432) = 880; narrow 4*2+2 = 10; decoder level-0 block 224 -> 1406 (scripts/bench's PyTorch
        // model gives the same). Head: 6*16+16, BN 32, 16*16+16, BN 32, 16*8+8 -> 584.
        Assert.Equal(1406 + 584, c.Parameters);
        Assert.Equal(6, c.RepresentationDim);
        Assert.Equal(2, c.TimedSteps);
        Assert.True(c.MinStepSeconds > 0 && c.MeanStepSeconds >= c.MinStepSeconds);
        Assert.Contains("1,990 parameters", PretrainBench.Format(c));
    }
}
