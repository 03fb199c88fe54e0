using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Shapes;

/// <summary>One knot of a <see cref="BodyPrism"/> profile: the cross-section at height Z.</summary>
public readonly record struct BodySection(double Z, double CenterX, double CenterY, double HalfWidth, double Anterior, double Posterior);

/// <summary>
/// A stack of superelliptic cross-sections, linearly interpolated between knots along z: the body outline,
/// and (inset by a thickness) the fat, muscle and cavity layers; also vertebral bodies and the spinal canal.
/// Anterior and posterior half-depths differ because a supine patient is flattened on the table.
/// </summary>
public sealed class BodyPrism : IShape
{
    private readonly BodySection[] _k;

    public BodyPrism(IReadOnlyList<BodySection> knots, double exponent, double inset = 0, double? posteriorExponent = null, bool outline = false)
    {
        Outline = outline;
        PosteriorExponent = posteriorExponent ?? exponent;
        if (knots.Count < 2) throw new ArgumentException("a body prism needs at least two sections");
        _k = knots.OrderBy(k => k.Z).ToArray();
        Exponent = exponent; Inset = inset;
        var minX = double.MaxValue; var maxX = double.MinValue; var minY = double.MaxValue; var maxY = double.MinValue;
        foreach (var k in _k)
        {
            minX = Math.Min(minX, k.CenterX - k.HalfWidth); maxX = Math.Max(maxX, k.CenterX + k.HalfWidth);
            minY = Math.Min(minY, k.CenterY - k.Anterior); maxY = Math.Max(maxY, k.CenterY + k.Posterior);
        }
        Min = new Vec3(minX + inset, minY + inset, _k[0].Z);
        Max = new Vec3(maxX - inset, maxY - inset, _k[^1].Z);
    }

    public double Exponent { get; }
    /// <summary>Squarer posterior half: a supine back is flattened on the table.</summary>
    public double PosteriorExponent { get; }
    public double Inset { get; }
    /// <summary>A layer of the body outline (skin, fat, muscle wall, cavity): it stays on the table when the patient rolls.</summary>
    public bool Outline { get; }
    internal IReadOnlyList<BodySection> Knots => _k;
    public Vec3 Min { get; }
    public Vec3 Max { get; }

    public BodyPrism WithInset(double inset) => new(_k, Exponent, inset, PosteriorExponent, Outline);

    /// <summary>The interpolated (un-inset) section at height z; clamped to the end knots.</summary>
    public BodySection At(double z)
    {
        if (z <= _k[0].Z) return _k[0] with { Z = z };
        if (z >= _k[^1].Z) return _k[^1] with { Z = z };
        var i = 1;
        while (_k[i].Z < z) i++;
        var a = _k[i - 1]; var b = _k[i];
        var t = (z - a.Z) / (b.Z - a.Z);
        return new BodySection(z, L(a.CenterX, b.CenterX, t), L(a.CenterY, b.CenterY, t),
            L(a.HalfWidth, b.HalfWidth, t), L(a.Anterior, b.Anterior, t), L(a.Posterior, b.Posterior, t));
    }

    public bool Span(double y, double z, out double x0, out double x1)
    {
        x0 = x1 = 0;
        if (z < _k[0].Z || z > _k[^1].Z) return false;
        var s = At(z);
        var a = s.HalfWidth - Inset;
        var b = (y < s.CenterY ? s.Anterior : s.Posterior) - Inset;
        if (a <= 0 || b <= 0) return false;
        var v = Math.Abs(y - s.CenterY) / b;
        if (v >= 1) return false;
        var e = y < s.CenterY ? Exponent : PosteriorExponent;
        var h = a * Math.Pow(1 - Math.Pow(v, e), 1 / e);
        x0 = s.CenterX - h; x1 = s.CenterX + h;
        return true;
    }

    /// <summary>A point on the inset contour at angle theta (0 = patient left, pi/2 = posterior) at height z.</summary>
    public Vec3 ContourPoint(double theta, double z, double inset)
    {
        var s = At(z);
        var c = Math.Cos(theta); var sn = Math.Sin(theta);
        var a = s.HalfWidth - inset;
        var b = (sn < 0 ? s.Anterior : s.Posterior) - inset;
        // Superellipse parametrisation: sign(c)|c|^(2/p).
        var e = 2 / (sn < 0 ? Exponent : PosteriorExponent);
        return new Vec3(s.CenterX + a * Math.Sign(c) * Math.Pow(Math.Abs(c), e), s.CenterY + b * Math.Sign(sn) * Math.Pow(Math.Abs(sn), e), z);
    }

    private static double L(double a, double b, double t) => a + (b - a) * t;
}
