using Streaming.Sampling.Sources;
using Streaming.Sampling.Tests.Sources;

namespace Streaming.Sampling.Tests.Labeled;

/// <summary>Labeled patches draw with a purpose of their own, shared with no other kind (see KeyPurposeTests).</summary>
public class LabeledKeyPurposeTests
{
    [Fact]
    public void Labeled_patches_have_a_purpose_no_other_kind_uses()
    {
        var purposes = KeyPurposeTests.Purposes();
        Assert.Equal([nameof(KeyPurpose.LabeledPatch)], purposes.Where(p => p.Value == KeyPurpose.LabeledPatch).Select(p => p.Key));
        Assert.True(KeyPurpose.LabeledPatch < KeyPurpose.FirstFree, "taken from the far end, below the values new kinds take next");
    }
}
