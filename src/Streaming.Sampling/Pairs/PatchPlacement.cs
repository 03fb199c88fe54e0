using Streaming.Imaging.Volumes;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Pairs;

/// <summary>
/// Where patches may sit. Origins can be negative (or the patch can pass the far edge) only on axes where the volume
/// is smaller than the patch; the outside is padded.
/// </summary>
public static class PatchPlacement
{
    /// <summary>A uniformly placed patch: every origin in [min(0, S-P), max(0, S-P)] per axis.</summary>
    public static Int3 Anywhere(ref KeyedRandom rng, Int3 volume, Int3 patch) => new(
        Axis(ref rng, volume.X, patch.X, int.MinValue, int.MaxValue),
        Axis(ref rng, volume.Y, patch.Y, int.MinValue, int.MaxValue),
        Axis(ref rng, volume.Z, patch.Z, int.MinValue, int.MaxValue));

    /// <summary>A uniformly placed patch among those that contain <paramref name="anchor"/> (vox2vec's view sampling).</summary>
    public static Int3 Containing(ref KeyedRandom rng, Int3 volume, Int3 patch, Int3 anchor) => new(
        Axis(ref rng, volume.X, patch.X, anchor.X - patch.X + 1, anchor.X),
        Axis(ref rng, volume.Y, patch.Y, anchor.Y - patch.Y + 1, anchor.Y),
        Axis(ref rng, volume.Z, patch.Z, anchor.Z - patch.Z + 1, anchor.Z));

    private static int Axis(ref KeyedRandom rng, int size, int patch, int lo, int hi)
    {
        lo = Math.Max(Math.Min(0, size - patch), lo);
        hi = Math.Min(Math.Max(0, size - patch), hi);
        return rng.NextInclusive(lo, hi);
    }
}
