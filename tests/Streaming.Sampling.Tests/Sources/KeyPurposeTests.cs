using System.Reflection;
using System.Runtime.CompilerServices;
using Streaming.Sampling.Context;
using Streaming.Sampling.Sources;

namespace Streaming.Sampling.Tests.Sources;

/// <summary>
/// Every batch kind draws from its own random streams: two kinds (or two draw sites) sharing a key purpose would draw
/// correlated numbers from the same (seed, step, slot) keys. Kinds come from different branches, so the values are
/// checked here rather than trusted to review.
/// </summary>
public class KeyPurposeTests
{
    private static Dictionary<string, long> Purposes() =>
        typeof(KeyPurpose).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(long) && f.Name != nameof(KeyPurpose.FirstFree))
            .ToDictionary(f => f.Name, f => (long)f.GetRawConstantValue()!);

    [Fact]
    public void Every_purpose_is_negative_and_distinct_and_first_free_is_unused()
    {
        var purposes = Purposes();
        Assert.Contains(nameof(KeyPurpose.Slices), purposes.Keys);
        Assert.Contains(nameof(KeyPurpose.Planar), purposes.Keys);
        Assert.Contains(nameof(KeyPurpose.Cubes), purposes.Keys);
        Assert.All(purposes, p => Assert.True(p.Value < 0, $"{p.Key} = {p.Value} could meet a step, slot or item number"));
        var shared = purposes.GroupBy(p => p.Value).Where(g => g.Count() > 1).Select(g => string.Join(" = ", g.Select(p => p.Key)));
        Assert.Empty(shared);
        Assert.DoesNotContain(KeyPurpose.FirstFree, purposes.Values);
        Assert.True(KeyPurpose.FirstFree < 0);
    }

    [Theory]
    [InlineData(typeof(PlanarPairSource), nameof(KeyPurpose.Planar))]
    [InlineData(typeof(CubePairSource), nameof(KeyPurpose.Cubes))]
    public void Context_sources_draw_with_their_own_purpose(Type source, string expected)
    {
        // The purpose is a constant-returning property; no volumes are needed to read it.
        var instance = RuntimeHelpers.GetUninitializedObject(source);
        var getter = source.GetProperty("KeyPurpose", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var purpose = (long)getter.GetValue(instance)!;

        var purposes = Purposes();
        Assert.Equal(purposes[expected], purpose);
        Assert.Single(purposes, p => p.Value == purpose);
    }
}
