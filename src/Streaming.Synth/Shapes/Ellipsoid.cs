using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Shapes;

/// <summary>An ellipsoid with semi-axes <see cref="Radii"/> along the columns of <see cref="Rotation"/>.</summary>
public sealed class Ellipsoid : IShape
{
    private readonly Vec3 _ux;     // M^T e_x, where M = R * diag(1/r)
    private readonly Mat3 _mt;     // M^T
    private readonly double _uu;

    public Ellipsoid(Vec3 center, Vec3 radii, Mat3 rotation)
    {
        if (radii.X <= 0 || radii.Y <= 0 || radii.Z <= 0) throw new ArgumentException($"ellipsoid radii must be > 0, got {radii}");
        Center = center; Radii = radii; Rotation = rotation;
        var m = rotation * new Mat3(1 / radii.X, 0, 0, 0, 1 / radii.Y, 0, 0, 0, 1 / radii.Z);
        _mt = m.Transpose();
        _ux = _mt * new Vec3(1, 0, 0);
        _uu = _ux.Dot(_ux);
        // Half-extent along world axis i: sqrt(sum_j (R_ij r_j)^2).
        var h = new Vec3(
            Math.Sqrt(Sq(rotation.M00 * radii.X) + Sq(rotation.M01 * radii.Y) + Sq(rotation.M02 * radii.Z)),
            Math.Sqrt(Sq(rotation.M10 * radii.X) + Sq(rotation.M11 * radii.Y) + Sq(rotation.M12 * radii.Z)),
            Math.Sqrt(Sq(rotation.M20 * radii.X) + Sq(rotation.M21 * radii.Y) + Sq(rotation.M22 * radii.Z)));
        Min = center - h; Max = center + h;
    }

    public Ellipsoid(Vec3 center, Vec3 radii) : this(center, radii, Mat3.Identity) { }

    public Vec3 Center { get; }
    public Vec3 Radii { get; }
    public Mat3 Rotation { get; }
    public Vec3 Min { get; }
    public Vec3 Max { get; }

    public bool Span(double y, double z, out double x0, out double x1)
    {
        var w = _mt * new Vec3(0, y - Center.Y, z - Center.Z);
        var ok = SpanMath.Quadratic(_uu, 2 * _ux.Dot(w), w.Dot(w) - 1, out var t0, out var t1);
        x0 = Center.X + t0; x1 = Center.X + t1;
        return ok;
    }

    /// <summary>True when p is inside (used to place lesions and tree roots).</summary>
    public bool Contains(Vec3 p)
    {
        var w = _mt * (p - Center);
        return w.Dot(w) <= 1;
    }

    /// <summary>Same shape scaled about its centre (for shells: wall and lumen, cortex and medulla).</summary>
    public Ellipsoid Scaled(double f) => new(Center, Radii * f, Rotation);

    public Ellipsoid Inset(double mm) =>
        new(Center, new Vec3(Math.Max(0.5, Radii.X - mm), Math.Max(0.5, Radii.Y - mm), Math.Max(0.5, Radii.Z - mm)), Rotation);

    private static double Sq(double v) => v * v;
}
