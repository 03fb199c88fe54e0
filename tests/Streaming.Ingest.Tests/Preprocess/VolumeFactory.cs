using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Tests.Preprocess;

/// <summary>Builds small test volumes from functions of the voxel index or physical position.</summary>
internal static class VolumeFactory
{
    public static Volume<float> FromPhysical(VolumeGeometry g, Func<Vec3, double> f)
    {
        var v = new Volume<float>(g);
        for (var z = 0; z < g.Shape.Z; z++)
            for (var y = 0; y < g.Shape.Y; y++)
                for (var x = 0; x < g.Shape.X; x++)
                    v[x, y, z] = (float)f(g.IndexToPhysical(x, y, z));
        return v;
    }

    public static Volume<T> FromIndex<T>(VolumeGeometry g, Func<int, int, int, T> f) where T : unmanaged
    {
        var v = new Volume<T>(g);
        for (var z = 0; z < g.Shape.Z; z++)
            for (var y = 0; y < g.Shape.Y; y++)
                for (var x = 0; x < g.Shape.X; x++)
                    v[x, y, z] = f(x, y, z);
        return v;
    }

    /// <summary>Rotation by angle (radians) about a unit axis (Rodrigues).</summary>
    public static Mat3 Rotation(Vec3 axis, double angle)
    {
        var k = axis.Normalized();
        double c = Math.Cos(angle), s = Math.Sin(angle), t = 1 - c;
        return new Mat3(
            t * k.X * k.X + c, t * k.X * k.Y - s * k.Z, t * k.X * k.Z + s * k.Y,
            t * k.X * k.Y + s * k.Z, t * k.Y * k.Y + c, t * k.Y * k.Z - s * k.X,
            t * k.X * k.Z - s * k.Y, t * k.Y * k.Z + s * k.X, t * k.Z * k.Z + c);
    }

    public static void AssertVec(Vec3 expected, Vec3 actual, double tol = 1e-9)
    {
        Assert.True((expected - actual).Norm <= tol, $"expected {expected}, got {actual}");
    }
}
