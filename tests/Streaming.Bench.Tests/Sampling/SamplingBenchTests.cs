using Streaming.Imaging.Volumes;
using Streaming.Bench.Sampling;
using Streaming.Sampling;

namespace Streaming.Bench.Tests.Sampling;

public class SamplingBenchTests
{
    [Fact]
    public void ATinyBenchRunsAndReportsEveryMeasure()
    {
        var o = new SamplingBenchOptions
        {
            Volumes = 2, VolumeShape = new Int3(48, 40, 16), ChunkShape = new Int3(16, 16, 8), Steps = 1, ConsumerSteps = 2,
            Sampling = new SamplingOptions { PatchShape = new Int3(16, 16, 8), VolumesPerBatch = 2, PositionsPerPair = 20, Seed = 3 },
        };
        var r = SamplingBench.Run(o);
        var table = r.ToTable();
        foreach (var name in new[] { "1 thread, with augmentations", "decoded per patch", "prefetch, 2 worker(s)", "aug noise" })
            Assert.Contains(name, table);
        Assert.True(r.Value("1 thread, with augmentations") > 0);
        // A 16x16x8 patch on a 16x16x8 chunk grid touches 1 to 8 chunks: 1x to 8x its own bytes.
        var perPatchMb = r.Value("decoded per patch");
        Assert.InRange(perPatchMb * 1e6, 16 * 16 * 8 * 2.125 * 0.99, 8 * 16 * 16 * 8 * 2.125 * 1.01);
    }
}
