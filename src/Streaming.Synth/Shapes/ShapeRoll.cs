using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Shapes;

/// <summary>
/// Rolls a solid about the z axis through a pivot (a patient lying slightly rotated). Body-outline prisms and boxes
/// stay put: the outline rests on the table, and boxes are world-fixed (the table, the horizontal air-fluid level).
/// </summary>
public static class ShapeRoll
{
    public static IShape Apply(IShape shape, double degrees, Vec3 pivot)
    {
        if (degrees == 0) return shape;
        var rz = Rz(degrees);
        Vec3 P(Vec3 p) => pivot + rz * (p - pivot); // a rotation about z keeps each point's height
        return shape switch
        {
            Ellipsoid e => new Ellipsoid(P(e.Center), e.Radii, rz * e.Rotation),
            Capsule c => new Capsule(P(c.A), P(c.B), c.Radius),
            BodyPrism { Outline: true } b => b,
            BodyPrism b => new RolledEllipticPrism(b, degrees, pivot),
            Intersection i => new Intersection(i.Parts.Select(p => Apply(p, degrees, pivot)).ToArray()),
            Box b => b,
            _ => throw new ArgumentException($"cannot roll a {shape.GetType().Name}"),
        };
    }

    private static Mat3 Rz(double degrees)
    {
        var a = degrees * Math.PI / 180;
        return new Mat3(Math.Cos(a), -Math.Sin(a), 0, Math.Sin(a), Math.Cos(a), 0, 0, 0, 1);
    }
}
