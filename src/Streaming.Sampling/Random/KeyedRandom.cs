namespace Streaming.Sampling.Random;

/// <summary>
/// A SplitMix64 generator started from a <see cref="RandomKey"/>. Cheap to create, so each draw site takes its own
/// stream from a derived key instead of sharing one sequential generator.
/// </summary>
public struct KeyedRandom(ulong state)
{
    private ulong _state = state;

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return SplitMix.Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Uniform integer in [0, n) without modulo bias worth mentioning (Lemire's multiply-shift).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "n must be positive");
        return (int)(((UInt128)NextUInt64() * (ulong)n) >> 64);
    }

    /// <summary>Uniform integer in [lo, hi] (both inclusive).</summary>
    public int NextInclusive(int lo, int hi) => lo + NextInt(hi - lo + 1);

    /// <summary>Standard normal by Box-Muller (scalar; the per-voxel noise uses a vectorised twin).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
