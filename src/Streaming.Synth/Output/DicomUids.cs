using System.Globalization;
using System.Numerics;

namespace Streaming.Synth.Output;

/// <summary>Deterministic UIDs under the UUID-derived root 2.25 (ISO/IEC 9834-8), so a seed reproduces a tree.</summary>
internal static class DicomUids
{
    public static string From(long seed, params ulong[] parts)
    {
        var a = (ulong)seed; var b = 0x51D1C0DEUL;
        foreach (var p in parts) { a = SynthRandom.Hash(a, p); b = SynthRandom.Hash(b, a); }
        var value = ((BigInteger)a << 64) | b;
        // 2.25.<up to 39 digits>: at most 44 characters, within the 64 allowed.
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }
}
