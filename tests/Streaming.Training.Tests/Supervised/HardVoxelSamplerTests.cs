using Streaming.Sampling.Random;
using Streaming.Training.Losses;

namespace Streaming.Training.Tests.Supervised;

public class HardVoxelSamplerTests
{
    /// <summary>200 voxels: class 0 (150), 1 (40), 2 (10); <paramref name="wrong"/> of them predicted as another class.</summary>
    private static (byte[] Reference, byte[] Predicted, HashSet<long> Wrong) Case(int wrong)
    {
        var reference = new byte[200];
        for (var i = 150; i < 190; i++) reference[i] = 1;
        for (var i = 190; i < 200; i++) reference[i] = 2;
        var predicted = (byte[])reference.Clone();
        var wrongSet = new HashSet<long>();
        for (var k = 0; k < wrong; k++)
        {
            var i = (k * 37 + 11) % 200;
            predicted[i] = (byte)((reference[i] + 1) % 3);
            wrongSet.Add(i);
        }
        return (reference, predicted, wrongSet);
    }

    [Fact]
    public void Takes_every_misclassified_voxel_first_when_they_fit_the_hard_budget()
    {
        var (reference, predicted, wrong) = Case(7);
        var rng = RandomKey.FromSeed(1).Stream();
        var picked = HardVoxelSampler.Sample(reference, predicted, maxVoxels: 30, maxHard: 10, ref rng);
        Assert.Equal(30, picked.Length);
        Assert.Equal(picked.Length, picked.Distinct().Count());
        Assert.Equal(wrong, picked.Take(7).ToHashSet());          // all 7 misclassified, at the front
        Assert.DoesNotContain(picked.Skip(7), wrong.Contains);
        // The 23 correct ones are dealt round-robin over the classes: at least 7 of each (class 2 has 10 correct voxels at most).
        var perClass = picked.Skip(7).GroupBy(i => reference[i]).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(perClass.Values, n => Assert.InRange(n, 7, 8));
    }

    [Fact]
    public void Caps_the_misclassified_voxels_and_fills_with_correct_ones()
    {
        var (reference, predicted, wrong) = Case(60);
        var rng = RandomKey.FromSeed(2).Stream();
        var picked = HardVoxelSampler.Sample(reference, predicted, maxVoxels: 50, maxHard: 20, ref rng);
        Assert.Equal(50, picked.Length);
        Assert.Equal(picked.Length, picked.Distinct().Count());
        Assert.Equal(20, picked.Count(wrong.Contains));
        Assert.All(picked.Take(20), i => Assert.Contains(i, wrong));
        // Deterministic for the same stream; a different stream gives a different subset.
        var again = RandomKey.FromSeed(2).Stream();
        Assert.Equal(picked, HardVoxelSampler.Sample(reference, predicted, 50, 20, ref again));
        var other = RandomKey.FromSeed(3).Stream();
        Assert.NotEqual(picked, HardVoxelSampler.Sample(reference, predicted, 50, 20, ref other));
    }

    [Fact]
    public void Returns_everything_when_the_level_is_smaller_than_the_budget()
    {
        var (reference, predicted, _) = Case(5);
        var rng = RandomKey.FromSeed(4).Stream();
        var picked = HardVoxelSampler.Sample(reference, predicted, maxVoxels: 1700, maxHard: 1000, ref rng);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), picked.Order());
    }
}
