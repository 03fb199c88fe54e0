using Streaming.Imaging.Volumes;
using Streaming.Sampling.Random;

namespace Streaming.Sampling.Context;

/// <summary>One axis's planar pair: the partner's centre and the in-plane offset (d1 along u, d2 along v) it encodes.</summary>
public readonly record struct PlanarPartner(int Normal, Vec3 Center, double D1, double D2, double NormalShift);

/// <summary>One Doersch pair: which face neighbour (0: -x, 1: +x, 2: -y, 3: +y, 4: -z, 5: +z) and the partner's centre.</summary>
public readonly record struct CubePartner(int Neighbour, Vec3 Center);

/// <summary>
/// The random draws of both context tasks, as pure functions of a keyed stream (so a batch is a function of seed and
/// step). Planar: anchor uniform in [-r, r]³; per normal axis a partner shifted along the normal by ±U[0.125, 0.25]
/// and in-plane by (d1, d2), each ±U[lo, hi] of the curriculum at this step. Doersch: anchor as above, partner one cube
/// side away toward a uniformly drawn face plus jitter.
/// </summary>
public static class ContextDraws
{
    public static Vec3 Anchor(ref KeyedRandom rng, ContextSamplingOptions o) =>
        new(rng.Uniform(-o.AnchorRange, o.AnchorRange), rng.Uniform(-o.AnchorRange, o.AnchorRange), rng.Uniform(-o.AnchorRange, o.AnchorRange));

    public static PlanarPartner Planar(ref KeyedRandom rng, Vec3 anchor, int normal, long step, long totalSteps, ContextSamplingOptions o)
    {
        var (lo, hi) = o.Curriculum.Bounds(step, totalSteps);
        var shift = Signed(ref rng, o.NormalMin, o.NormalMax);
        var d1 = Signed(ref rng, lo, hi);
        var d2 = Signed(ref rng, lo, hi);
        var (u, v) = SampleGrid.InPlaneAxes(normal);
        var c = new double[] { anchor.X, anchor.Y, anchor.Z };
        c[normal] += shift;
        c[u] += d1;
        c[v] += d2;
        return new PlanarPartner(normal, Vec3.FromArray(c), d1, d2, shift);
    }

    public static CubePartner Cube(ref KeyedRandom rng, Vec3 anchor, ContextSamplingOptions o)
    {
        var k = rng.NextInt(6);
        var c = new double[] { anchor.X, anchor.Y, anchor.Z };
        c[k / 2] += (k % 2 == 0 ? -1 : 1) * o.CubeSide;
        for (var a = 0; a < 3; a++) c[a] += rng.Uniform(-o.CubeJitter, o.CubeJitter);
        return new CubePartner(k, Vec3.FromArray(c));
    }

    /// <summary>±U[lo, hi] with an even chance of either sign.</summary>
    public static double Signed(ref KeyedRandom rng, double lo, double hi)
    {
        var m = rng.Uniform(lo, hi);
        return rng.Chance(0.5) ? -m : m;
    }
}
