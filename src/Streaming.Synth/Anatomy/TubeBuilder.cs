using Streaming.Imaging.Volumes;
using Streaming.Synth.Shapes;

namespace Streaming.Synth.Anatomy;

/// <summary>Tubular structures as capsule chains: polylines, branching trees (vessels, airways), rings (bowel loops).</summary>
internal static class TubeBuilder
{
    /// <summary>A tube through the points with radii interpolated along them.</summary>
    public static IEnumerable<IShape> Polyline(IReadOnlyList<Vec3> points, IReadOnlyList<double> radii)
    {
        for (var i = 0; i + 1 < points.Count; i++)
            yield return new Capsule(points[i], points[i + 1], Math.Max(0.3, 0.5 * (radii[i] + radii[i + 1])));
    }

    public static IEnumerable<IShape> Polyline(IReadOnlyList<Vec3> points, double radius) =>
        Polyline(points, Enumerable.Repeat(radius, points.Count).ToArray());

    /// <summary>
    /// A bifurcating tree: each branch is a slightly curved tube; children turn by 20-45 degrees and shrink,
    /// like pulmonary or portal vessels. Deterministic for a given random stream.
    /// </summary>
    public static List<Capsule> Tree(SynthRandom r, Vec3 start, Vec3 dir, double radius, double length, int levels, double minRadius)
    {
        var list = new List<Capsule>();
        Branch(r, list, start, dir.Normalized(), radius, length, levels, minRadius);
        return list;
    }

    private static void Branch(SynthRandom r, List<Capsule> into, Vec3 start, Vec3 dir, double radius, double length, int level, double minRadius)
    {
        if (radius < minRadius || level < 0) return;
        // Two segments with a small bend make branches look less like sticks.
        var mid = start + dir * (length * 0.5);
        var bent = Turn(r, dir, 10);
        var end = mid + bent * (length * 0.5);
        into.Add(new Capsule(start, mid, radius));
        into.Add(new Capsule(mid, end, radius * 0.92));
        var children = level > 0 ? 2 : 0;
        for (var c = 0; c < children; c++)
        {
            var d = Turn(r, bent, r.Uniform(20, 45));
            Branch(r, into, end, d, radius * r.Uniform(0.68, 0.8), length * r.Uniform(0.7, 0.85), level - 1, minRadius);
        }
    }

    /// <summary>A torus (bowel loop) as a ring of capsules around <paramref name="center"/> in the plane normal to n.</summary>
    public static IEnumerable<Capsule> Ring(Vec3 center, Vec3 normal, double ringRadius, double tubeRadius, int segments = 10)
    {
        var n = normal.Normalized();
        var u = (Math.Abs(n.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0)).Cross(n).Normalized();
        var v = n.Cross(u);
        Vec3 P(int k) { var a = 2 * Math.PI * k / segments; return center + u * (ringRadius * Math.Cos(a)) + v * (ringRadius * Math.Sin(a)); }
        for (var k = 0; k < segments; k++) yield return new Capsule(P(k), P(k + 1), tubeRadius);
    }

    /// <summary>A random unit direction within about <paramref name="degrees"/> of d.</summary>
    public static Vec3 Turn(SynthRandom r, Vec3 d, double degrees)
    {
        var a = (Math.Abs(d.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0)).Cross(d).Normalized();
        var b = d.Cross(a);
        var phi = r.Uniform(0, 2 * Math.PI);
        var t = Math.Tan(degrees * Math.PI / 180);
        return (d + (a * Math.Cos(phi) + b * Math.Sin(phi)) * t).Normalized();
    }
}
