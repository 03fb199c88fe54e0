using Streaming.Bench.Evaluation;
using Streaming.Imaging.Volumes;

namespace Streaming.Bench.Tests.Evaluation;

public class ContextBenchTests
{
    [Fact]
    public void Rows_time_each_descriptor_against_the_first_and_ivf_against_exact()
    {
        var rows = ContextBench.Run(new ContextBenchOptions
        {
            Shape = new Int3(16, 12, 20), KnnShape = new Int3(24, 20, 16), Atlases = 2, Methods = ["gvdiff", "context2d-heatmap"],
        });
        Assert.Equal(4, rows.Count);
        Assert.Equal(1.0, rows[0].Ratio);
        Assert.Contains("(60 grid points)", rows[1].Name);      // every 4th voxel of 16 x 12 x 20: 4 x 3 x 5
        Assert.All(rows.Take(2), r => Assert.True(r.Value > 0 && r.Unit == "s/volume"));
        Assert.Contains("120 queries x 240 keys (2 atlases)", rows[2].Name); // 6 x 5 x 4 per volume
        // √240 ≈ 15 cells, all probed: IVF must return the exact neighbours.
        Assert.Contains("agree with exact on 100.00 % of voxels", rows[3].Note);
        Assert.Throws<ArgumentException>(() => ContextBench.Run(new ContextBenchOptions { Methods = ["sift"] }));
    }
}
