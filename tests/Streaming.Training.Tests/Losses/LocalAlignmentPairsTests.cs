using Streaming.Training.Losses;

namespace Streaming.Training.Tests.Losses;

public class LocalAlignmentPairsTests
{
    [Fact]
    public void SameVolumeAndCloserThanThetaTimesTheSliceCount()
    {
        // Samples: volume 0 (N = 40) slices 10, 10 (two views), 13, 14; volume 1 (N = 20) slices 10, 11.
        // theta = 0.1: volume 0 needs |a - b| < 4, volume 1 |a - b| < 2.
        int[] volume = [0, 0, 0, 0, 1, 1];
        int[] index = [10, 10, 13, 14, 10, 11];
        int[] count = [40, 40, 40, 40, 20, 20];
        var pairs = LocalAlignmentPairs.Select(volume, index, count, 0.1);
        var set = Enumerable.Range(0, pairs.Length / 2).Select(i => (pairs[2 * i], pairs[2 * i + 1])).ToHashSet();
        (long, long)[] expected =
        [
            (0, 1), (1, 0), (0, 2), (2, 0), (1, 2), (2, 1), (2, 3), (3, 2),   // 10-14 is 4 apart: not < 4
            (4, 5), (5, 4),                                                  // never across volumes
        ];
        Assert.Equal(expected.ToHashSet(), set);
        Assert.Equal(expected.Length * 2, pairs.Length);
    }

    [Fact]
    public void RejectsInconsistentSliceCounts() =>
        Assert.Throws<ArgumentException>(() => LocalAlignmentPairs.Select([0, 0], [1, 2], [10, 11], 0.1));
}
