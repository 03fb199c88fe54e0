using Streaming.Synth.Shapes;

namespace Streaming.Synth.Anatomy;

/// <summary>
/// One solid painted into the tissue and label maps, in order (later elements overwrite earlier ones).
/// <paramref name="OnlyInto"/> restricts painting to voxels whose current tissue is in the mask (vessel trees stay
/// inside their organ); <see cref="KeepLabel"/> leaves the label untouched (a vessel inside the liver is liver).
/// <paramref name="Fixed"/> solids follow the body outline and do not roll with the patient (ribs, sternum).
/// </summary>
public sealed record SceneElement(IShape Shape, Tissue Tissue, byte Label, ulong OnlyInto = 0, bool Fixed = false)
{
    public const byte KeepLabel = 255;

    public static ulong Mask(params Tissue[] tissues)
    {
        ulong m = 0;
        foreach (var t in tissues) m |= 1UL << (int)t;
        return m;
    }
}

/// <summary>The deterministic anatomy of one phantom: ordered solids in patient mm.</summary>
public sealed record PhantomScene(IReadOnlyList<SceneElement> Elements);
