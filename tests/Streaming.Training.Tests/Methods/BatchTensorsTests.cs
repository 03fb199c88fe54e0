using Streaming.Imaging.Volumes;
using Streaming.Sampling.Pairs;
using Streaming.Training.Methods;
using static TorchSharp.torch;

namespace Streaming.Training.Tests;

public class BatchTensorsTests
{
    private static PairBatch Batch(int[]? counts) => new()
    {
        Step = 0, Pairs = 2, PatchShape = new Int3(2, 2, 2), PositionsPerPair = 3,
        ViewsA = new float[16], ViewsB = new float[16], PositionsA = new int[18], PositionsB = new int[18], VolumeIds = ["a", "b"],
        PositionCounts = counts,
    };

    [Fact]
    public void Padding_rows_of_small_overlaps_are_dropped_and_partners_stay_aligned()
    {
        // Rows 0..5 are A voxels (pair 0: 0-2, pair 1: 3-5), rows 6..11 their B partners; row r holds value r.
        using var reps = arange(12, ScalarType.Float32).reshape(12, 1);
        using var kept = BatchTensors.ValidRows(reps, Batch([2, 1]));
        Assert.Equal(new float[] { 0, 1, 3, 6, 7, 9 }, kept.data<float>().ToArray());
        Assert.Same(reps, BatchTensors.ValidRows(reps, Batch(null)));
    }
}
