using System.Reflection;
using System.Runtime.CompilerServices;
using Streaming.Sampling.Context;
using Streaming.Sampling.Sources;
using Streaming.Sampling.Tests.Sources;

namespace Streaming.Sampling.Tests.Context;

/// <summary>The context kinds draw with purposes of their own, none shared with another kind (see KeyPurposeTests).</summary>
public class ContextKeyPurposeTests
{
    [Theory]
    [InlineData(typeof(PlanarPairSource), nameof(KeyPurpose.Planar))]
    [InlineData(typeof(CubePairSource), nameof(KeyPurpose.Cubes))]
    public void Context_sources_draw_with_their_own_purpose(Type source, string expected)
    {
        // The purpose is a constant-returning property; no volumes are needed to read it.
        var instance = RuntimeHelpers.GetUninitializedObject(source);
        var getter = source.GetProperty("KeyPurpose", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var purpose = (long)getter.GetValue(instance)!;

        var purposes = KeyPurposeTests.Purposes();
        Assert.Equal(purposes[expected], purpose);
        Assert.Equal([expected], purposes.Where(p => p.Value == purpose).Select(p => p.Key));
    }
}
