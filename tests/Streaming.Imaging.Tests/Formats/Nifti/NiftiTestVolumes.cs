using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Tests.Formats.Nifti;

/// <summary>Small geometries with hand-checkable numbers, shared by the NIfTI tests.</summary>
internal static class NiftiTestVolumes
{
    public static readonly Int3 Shape = new(5, 4, 3);
    // Values exactly representable in float32, so NIfTI-1's float geometry fields hold them exactly.
    public static readonly Vec3 Spacing = new(0.75, 1.25, 2.5);
    public static readonly Vec3 Origin = new(-100.5, 20.25, 33.125);

    /// <summary>A proper rotation of 30 degrees about the axis (1, 2, 2)/3 (Rodrigues' formula).</summary>
    public static Mat3 Oblique()
    {
        double x = 1 / 3.0, y = 2 / 3.0, z = 2 / 3.0, t = Math.PI / 6, c = Math.Cos(t), s = Math.Sin(t), vers = 1 - c; // versine
        return new Mat3(
            c + x * x * vers, x * y * vers - z * s, x * z * vers + y * s,
            y * x * vers + z * s, c + y * y * vers, y * z * vers - x * s,
            z * x * vers - y * s, z * y * vers + x * s, c + z * z * vers);
    }

    /// <summary>The oblique rotation with its second axis reversed: determinant -1 (needs qfac = -1 in a qform).</summary>
    public static Mat3 ObliqueFlipped()
    {
        var o = Oblique();
        return Mat3.FromColumns(o.Column(0), o.Column(1) * -1, o.Column(2));
    }

    public static Mat3 Direction(string name) => name switch
    {
        "oblique" => Oblique(),
        "oblique-flipped" => ObliqueFlipped(),
        "identity" => Mat3.Identity,
        _ => throw new ArgumentException(name),
    };

    public static VolumeGeometry Geometry(Mat3 direction) => new(Shape, Spacing, Origin, direction);

    public static void AssertGeometry(VolumeGeometry expected, VolumeGeometry actual, double tol = 1e-6)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (var a = 0; a < 3; a++)
        {
            Assert.InRange(actual.Spacing[a], expected.Spacing[a] - tol, expected.Spacing[a] + tol);
            Assert.InRange(actual.Origin[a], expected.Origin[a] - tol, expected.Origin[a] + tol);
        }
        Assert.True(expected.Direction.ApproximatelyEquals(actual.Direction, tol),
            $"direction {string.Join(", ", actual.Direction.ToRowMajor())} != {string.Join(", ", expected.Direction.ToRowMajor())}");
    }
}
