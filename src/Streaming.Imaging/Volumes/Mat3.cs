namespace Streaming.Imaging.Volumes;

/// <summary>
/// A 3x3 matrix, row-major. As a direction matrix its columns are the unit vectors of the voxel axes
/// (i, j, k) in LPS patient space, as in ITK and DICOM.
/// </summary>
public readonly record struct Mat3(
    double M00, double M01, double M02,
    double M10, double M11, double M12,
    double M20, double M21, double M22)
{
    public static Mat3 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    public static Mat3 FromColumns(Vec3 c0, Vec3 c1, Vec3 c2) =>
        new(c0.X, c1.X, c2.X, c0.Y, c1.Y, c2.Y, c0.Z, c1.Z, c2.Z);

    public static Mat3 FromRowMajor(IReadOnlyList<double> a) => new(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);

    public double this[int row, int col] => (row * 3 + col) switch
    {
        0 => M00,
        1 => M01,
        2 => M02,
        3 => M10,
        4 => M11,
        5 => M12,
        6 => M20,
        7 => M21,
        8 => M22,
        _ => throw new ArgumentOutOfRangeException(nameof(row)),
    };

    public Vec3 Column(int c) => new(this[0, c], this[1, c], this[2, c]);
    public Vec3 Row(int r) => new(this[r, 0], this[r, 1], this[r, 2]);

    public static Vec3 operator *(Mat3 m, Vec3 v) => new(m.Row(0).Dot(v), m.Row(1).Dot(v), m.Row(2).Dot(v));

    public static Mat3 operator *(Mat3 a, Mat3 b) => FromColumns(a * b.Column(0), a * b.Column(1), a * b.Column(2));

    public Mat3 Transpose() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);

    public double Determinant =>
        M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);

    public Mat3 Inverse()
    {
        var d = Determinant;
        if (Math.Abs(d) < 1e-12) throw new InvalidOperationException("Singular matrix.");
        var i = 1.0 / d;
        return new(
            (M11 * M22 - M12 * M21) * i, (M02 * M21 - M01 * M22) * i, (M01 * M12 - M02 * M11) * i,
            (M12 * M20 - M10 * M22) * i, (M00 * M22 - M02 * M20) * i, (M02 * M10 - M00 * M12) * i,
            (M10 * M21 - M11 * M20) * i, (M01 * M20 - M00 * M21) * i, (M00 * M11 - M01 * M10) * i);
    }

    public bool IsFinite => Row(0).IsFinite && Row(1).IsFinite && Row(2).IsFinite;

    public double[] ToRowMajor() => [M00, M01, M02, M10, M11, M12, M20, M21, M22];

    public bool ApproximatelyEquals(Mat3 o, double tol = 1e-6)
    {
        var a = ToRowMajor(); var b = o.ToRowMajor();
        for (var k = 0; k < 9; k++) if (Math.Abs(a[k] - b[k]) > tol) return false;
        return true;
    }
}
