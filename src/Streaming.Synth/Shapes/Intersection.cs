using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Shapes;

/// <summary>Points inside every part (an interval intersected with intervals stays an interval).</summary>
public sealed class Intersection : IShape
{
    private readonly IShape[] _parts;

    public Intersection(params IShape[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException("an intersection needs parts");
        _parts = parts;
        var min = parts[0].Min; var max = parts[0].Max;
        foreach (var p in parts.Skip(1))
        {
            min = new Vec3(Math.Max(min.X, p.Min.X), Math.Max(min.Y, p.Min.Y), Math.Max(min.Z, p.Min.Z));
            max = new Vec3(Math.Min(max.X, p.Max.X), Math.Min(max.Y, p.Max.Y), Math.Min(max.Z, p.Max.Z));
        }
        Min = min; Max = max;
    }

    public Vec3 Min { get; }
    public Vec3 Max { get; }
    public IReadOnlyList<IShape> Parts => _parts;

    public bool Span(double y, double z, out double x0, out double x1)
    {
        x0 = double.NegativeInfinity; x1 = double.PositiveInfinity;
        foreach (var p in _parts)
        {
            if (!p.Span(y, z, out var a, out var b)) return false;
            x0 = Math.Max(x0, a); x1 = Math.Min(x1, b);
            if (x0 > x1) return false;
        }
        return true;
    }
}

/// <summary>
/// An axis-aligned box, possibly unbounded on some sides (a half-space such as "anterior of the air-fluid level").
/// </summary>
public sealed class Box(Vec3 min, Vec3 max) : IShape
{
    public Vec3 Min { get; } = min;
    public Vec3 Max { get; } = max;

    public bool Span(double y, double z, out double x0, out double x1)
    {
        x0 = Min.X; x1 = Max.X;
        return y >= Min.Y && y <= Max.Y && z >= Min.Z && z <= Max.Z;
    }
}
