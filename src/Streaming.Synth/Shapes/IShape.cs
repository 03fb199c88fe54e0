using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Shapes;

/// <summary>
/// A convex-per-row solid in patient mm (LPS). Rasterising by row spans (the x interval inside the shape at a given
/// y, z) instead of testing every voxel is what makes full-size (512x512x600) phantoms fast.
/// </summary>
public interface IShape
{
    /// <summary>Axis-aligned bounding box, lower corner (mm).</summary>
    Vec3 Min { get; }

    /// <summary>Axis-aligned bounding box, upper corner (mm).</summary>
    Vec3 Max { get; }

    /// <summary>The interval [x0, x1] of points (x, y, z) inside the shape; false when the row misses it.</summary>
    bool Span(double y, double z, out double x0, out double x1);
}

internal static class SpanMath
{
    /// <summary>Solves a t² + b t + c ≤ 0 for t (a ≥ 0); false when no real solution.</summary>
    public static bool Quadratic(double a, double b, double c, out double t0, out double t1)
    {
        if (a < 1e-12)
        {
            // Degenerate (line parallel to an axis of the quadric): b is 0 here, so all t or none.
            t0 = double.NegativeInfinity; t1 = double.PositiveInfinity;
            if (Math.Abs(b) < 1e-12) return c <= 0;
            var r = -c / b;
            if (b > 0) t1 = r; else t0 = r;
            return true;
        }
        var disc = b * b - 4 * a * c;
        if (disc < 0) { t0 = t1 = 0; return false; }
        var s = Math.Sqrt(disc);
        t0 = (-b - s) / (2 * a);
        t1 = (-b + s) / (2 * a);
        return true;
    }
}
