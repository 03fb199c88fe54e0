namespace Streaming.Sampling.Random;

/// <summary>
/// A 64-bit key for a counter-based random stream. Keys are derived by hashing parts in (seed, step, slot, ...), so
/// any worker can build any step without sequential generator state: that is what makes a batch a pure function of
/// (seed, step, cache contents), independent of worker count and exact on restart.
/// </summary>
public readonly record struct RandomKey(ulong Value)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    public static RandomKey FromSeed(long seed) => new(SplitMix.Mix((ulong)seed ^ 0x5EED5EED5EED5EEDUL));

    /// <summary>A child key for one part (step number, slot, attempt, purpose): distinct parts give unrelated keys.</summary>
    public RandomKey With(long part) => new(SplitMix.Mix(Value + SplitMix.Mix((ulong)part + Golden)));

    public KeyedRandom Stream() => new(Value);

    /// <summary>A 32-bit key for the vectorised per-voxel hashes.</summary>
    public uint Low32 => (uint)(Value ^ (Value >> 32));
}

/// <summary>SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mixer.</summary>
public static class SplitMix
{
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
