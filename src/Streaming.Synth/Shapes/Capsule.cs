using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Shapes;

/// <summary>
/// Points within <see cref="Radius"/> of the segment A-B. Chains of capsules make tubes along splines
/// (vessels, airways, ribs, bowel loops); a capsule is convex, so a row meets it in one interval.
/// </summary>
public sealed class Capsule : IShape
{
    private readonly Vec3 _d;      // unit axis
    private readonly double _len;

    public Capsule(Vec3 a, Vec3 b, double radius)
    {
        if (!(radius > 0)) throw new ArgumentException($"capsule radius must be > 0, got {radius}");
        A = a; B = b; Radius = radius;
        var ab = b - a;
        _len = ab.Norm;
        _d = _len > 1e-9 ? ab * (1 / _len) : new Vec3(0, 0, 1);
        var r = new Vec3(radius, radius, radius);
        Min = new Vec3(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z)) - r;
        Max = new Vec3(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z)) + r;
    }

    public Vec3 A { get; }
    public Vec3 B { get; }
    public double Radius { get; }
    public Vec3 Min { get; }
    public Vec3 Max { get; }

    public bool Span(double y, double z, out double x0, out double x1)
    {
        var lo = double.PositiveInfinity; var hi = double.NegativeInfinity;
        Sphere(A, y, z, ref lo, ref hi);
        Sphere(B, y, z, ref lo, ref hi);
        if (_len > 1e-9) Cylinder(y, z, ref lo, ref hi);
        x0 = lo; x1 = hi;
        return lo <= hi;
    }

    private void Sphere(Vec3 c, double y, double z, ref double lo, ref double hi)
    {
        var r2 = Radius * Radius - (y - c.Y) * (y - c.Y) - (z - c.Z) * (z - c.Z);
        if (r2 < 0) return;
        var s = Math.Sqrt(r2);
        lo = Math.Min(lo, c.X - s); hi = Math.Max(hi, c.X + s);
    }

    private void Cylinder(double y, double z, ref double lo, ref double hi)
    {
        // p(t) = A + (t, wy, wz) with t = x - A.X; v = e_x t + w.
        var w = new Vec3(0, y - A.Y, z - A.Z);
        var e = new Vec3(1, 0, 0);
        var ePerp = e - _d * _d.X;
        var wd = w.Dot(_d);
        var wPerp = w - _d * wd;
        if (!SpanMath.Quadratic(ePerp.Dot(ePerp), 2 * ePerp.Dot(wPerp), wPerp.Dot(wPerp) - Radius * Radius, out var t0, out var t1))
            return;
        // Slab 0 <= d.x t + wd <= len.
        if (Math.Abs(_d.X) < 1e-12)
        {
            if (wd < 0 || wd > _len) return;
        }
        else
        {
            var a = -wd / _d.X; var b = (_len - wd) / _d.X;
            t0 = Math.Max(t0, Math.Min(a, b)); t1 = Math.Min(t1, Math.Max(a, b));
        }
        if (t0 > t1 || double.IsInfinity(t0) || double.IsInfinity(t1)) return;
        lo = Math.Min(lo, A.X + t0); hi = Math.Max(hi, A.X + t1);
    }
}
