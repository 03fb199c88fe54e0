using System.Reflection;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Tests.Sources;

/// <summary>
/// Every batch kind draws from its own random streams: two kinds (or two draw sites) sharing a key purpose would draw
/// correlated numbers from the same (seed, step, slot) keys. Kinds come from different branches, so the values are
/// checked here rather than trusted to review.
/// </summary>
public class KeyPurposeTests
{
    /// <summary>Every purpose constant by name (all but <see cref="KeyPurpose.FirstFree"/>).</summary>
    public static Dictionary<string, long> Purposes() =>
        typeof(KeyPurpose).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(long) && f.Name != nameof(KeyPurpose.FirstFree))
            .ToDictionary(f => f.Name, f => (long)f.GetRawConstantValue()!);

    [Fact]
    public void Every_purpose_is_negative_and_distinct_and_first_free_is_unused()
    {
        var purposes = Purposes();
        Assert.True(purposes.Count >= 4, "Augment, Volume, Pair and at least one batch kind");
        Assert.All(purposes, p => Assert.True(p.Value < 0, $"{p.Key} = {p.Value} could meet a step, slot or item number"));
        var shared = purposes.GroupBy(p => p.Value).Where(g => g.Count() > 1).Select(g => string.Join(" = ", g.Select(p => p.Key)));
        Assert.Empty(shared);
        Assert.True(KeyPurpose.FirstFree < 0);
        Assert.DoesNotContain(KeyPurpose.FirstFree, purposes.Values);
    }
}
