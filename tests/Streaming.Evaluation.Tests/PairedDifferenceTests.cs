using Streaming.Evaluation.Metrics;

namespace Streaming.Evaluation.Tests;

public class PairedDifferenceTests
{
    [Fact]
    public void The_interval_matches_a_hand_computed_paired_t_interval()
    {
        // Differences 0.10, 0.05, 0.12, 0.01: mean 0.07, sd = sqrt(0.0074 / 3) = 0.049666, t(0.975, 3) = 3.182446,
        // half-width = 3.182446 * 0.049666 / 2 = 0.079030.
        var p = PairedDifference.Of([0.60, 0.55, 0.72, 0.41], [0.50, 0.50, 0.60, 0.40]);
        Assert.Equal(4, p.Pairs);
        Assert.Equal(0.07, p.Mean, 12);
        Assert.Equal(0.049666, p.StdDev, 5);
        Assert.Equal(0.07 - 0.079030, p.Lower, 5);
        Assert.Equal(0.07 + 0.079030, p.Upper, 5);
        Assert.False(p.Better); // the interval includes 0
    }

    [Fact]
    public void Undefined_values_drop_their_pair_and_one_pair_has_no_interval()
    {
        var p = PairedDifference.Of([0.9, double.NaN, 0.8], [0.7, 0.5, 0.6]);
        Assert.Equal(2, p.Pairs);
        Assert.Equal(0.2, p.Mean, 12);
        Assert.Equal(0, p.StdDev, 12);
        Assert.True(p.Better); // zero spread: the interval is the point 0.2
        var one = PairedDifference.Of([0.9], [0.7]);
        Assert.True(double.IsNaN(one.Lower));
        Assert.Throws<ArgumentException>(() => PairedDifference.Of([1.0], [1.0, 2.0]));
    }
}
