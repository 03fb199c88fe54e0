using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Shapes;

/// <summary>
/// A <see cref="BodyPrism"/> with elliptic sections (exponent 2 on both halves) rotated about the z axis through a
/// pivot: the spine and back muscles of a rolled patient. Each half-ellipse meets a row in one interval (a quadratic
/// cut by a half-plane), and the two halves form a convex section, so their union is one interval.
/// </summary>
public sealed class RolledEllipticPrism : IShape
{
    private readonly BodyPrism _prism;
    private readonly double _cos, _sin;
    private readonly Vec3 _pivot;

    public RolledEllipticPrism(BodyPrism prism, double degrees, Vec3 pivot)
    {
        if (prism.Exponent != 2 || prism.PosteriorExponent != 2)
            throw new ArgumentException("only elliptic prisms (exponent 2) can be rolled");
        _prism = prism; _pivot = pivot;
        var a = degrees * Math.PI / 180;
        _cos = Math.Cos(a); _sin = Math.Sin(a);
        // Conservative bounds: the rotated corners of the unrotated box.
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        foreach (var x in new[] { prism.Min.X, prism.Max.X })
            foreach (var y in new[] { prism.Min.Y, prism.Max.Y })
            {
                var (rx, ry) = Rotate(x, y);
                minX = Math.Min(minX, rx); maxX = Math.Max(maxX, rx); minY = Math.Min(minY, ry); maxY = Math.Max(maxY, ry);
            }
        Min = new Vec3(minX, minY, prism.Min.Z);
        Max = new Vec3(maxX, maxY, prism.Max.Z);
    }

    public Vec3 Min { get; }
    public Vec3 Max { get; }

    public bool Span(double y, double z, out double x0, out double x1)
    {
        x0 = x1 = 0;
        if (z < _prism.Min.Z || z > _prism.Max.Z) return false;
        var s = _prism.At(z);
        var a = s.HalfWidth - _prism.Inset;
        if (a <= 0) return false;
        var (cx, cy) = Rotate(s.CenterX, s.CenterY);
        // Along the row x = cx + t: local u = t cos + Y sin, v = -t sin + Y cos (v > 0 posterior).
        var yy = y - cy;
        var lo = double.PositiveInfinity; var hi = double.NegativeInfinity;
        Half(a, s.Anterior - _prism.Inset, yy, anterior: true, ref lo, ref hi);
        Half(a, s.Posterior - _prism.Inset, yy, anterior: false, ref lo, ref hi);
        if (lo > hi) return false;
        x0 = cx + lo; x1 = cx + hi;
        return true;
    }

    private void Half(double a, double b, double yy, bool anterior, ref double lo, ref double hi)
    {
        if (b <= 0) return;
        double c = _cos, s = _sin;
        var qa = c * c / (a * a) + s * s / (b * b);
        var qb = 2 * yy * s * c * (1 / (a * a) - 1 / (b * b));
        var qc = yy * yy * (s * s / (a * a) + c * c / (b * b)) - 1;
        if (!SpanMath.Quadratic(qa, qb, qc, out var t0, out var t1)) return;
        // Half-plane v <= 0 (anterior) or v >= 0 (posterior), v = -t s + yy c.
        var vAt0 = yy * c;
        if (Math.Abs(s) < 1e-12)
        {
            if (anterior ? vAt0 > 0 : vAt0 < 0) return;
        }
        else
        {
            var tc = vAt0 / s; // v = 0 here; v decreases with t when s > 0
            var keepAbove = anterior == (s > 0);
            if (keepAbove) t0 = Math.Max(t0, tc); else t1 = Math.Min(t1, tc);
        }
        if (t0 > t1) return;
        lo = Math.Min(lo, t0); hi = Math.Max(hi, t1);
    }

    private (double X, double Y) Rotate(double x, double y)
    {
        var dx = x - _pivot.X; var dy = y - _pivot.Y;
        return (_pivot.X + dx * _cos - dy * _sin, _pivot.Y + dx * _sin + dy * _cos);
    }
}
