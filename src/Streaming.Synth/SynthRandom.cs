namespace Streaming.Synth;

/// <summary>
/// A small deterministic generator (xoshiro256** seeded by SplitMix64). Own implementation rather than
/// <see cref="Random"/> so that a seed gives the same phantom on every .NET version and platform.
/// </summary>
public sealed class SynthRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SynthRandom(long seed, params long[] streams)
    {
        var x = (ulong)seed;
        foreach (var s in streams) x = Mix(x ^ Mix((ulong)s + 0x9E3779B97F4A7C15UL));
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        var result = RotL(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t; _s3 = RotL(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [lo, hi] inclusive.</summary>
    public int Int(int lo, int hi) => lo + (int)(NextUInt64() % (ulong)(hi - lo + 1));

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box-Muller; one value per call keeps the stream simple to reason about).</summary>
    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public double Normal(double mean, double sd) => mean + sd * Normal();

    /// <summary>A normal draw clipped to [mean - 2 sd, mean + 2 sd]: plausible anatomy without outliers.</summary>
    public double Clipped(double mean, double sd) => mean + sd * Math.Clamp(Normal(), -2, 2);

    public T Pick<T>(IReadOnlyList<T> items) => items[Int(0, items.Count - 1)];

    /// <summary>A stateless 64-bit hash, used to seed per-slice noise so slices can be filled in any order.</summary>
    public static ulong Hash(ulong a, ulong b) => Mix(a ^ Mix(b + 0x9E3779B97F4A7C15UL));

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Mix(x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));
}
