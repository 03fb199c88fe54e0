using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Nifti;

/// <summary>Which header fields the geometry came from.</summary>
public enum NiftiGeometrySource { Sform, Qform, PixDim }

/// <summary>
/// NIfTI affine (RAS world) ⇄ <see cref="VolumeGeometry"/> (LPS world). NIfTI's "x" grows to the patient's right
/// and "y" anterior; LPS is the same frame with those two axes negated, so converting is negating the first two
/// rows of the 3x4 affine.
/// </summary>
public static class NiftiGeometry
{
    private static readonly Mat3 RasToLps = new(-1, 0, 0, 0, -1, 0, 0, 0, 1);

    /// <summary>
    /// The grid's geometry, by the standard's precedence: sform when sform_code > 0, else qform when qform_code > 0,
    /// else pixdim alone (method 1 of the NIfTI-1 standard: RAS = pixdim ∘ index, origin 0, so LPS direction
    /// diag(-1, -1, 1); nibabel instead centres an ANALYZE-style affine, so such files disagree between tools and
    /// the metadata says "pixdim"). A sheared sform falls back to the qform when there is one.
    /// </summary>
    public static (VolumeGeometry Geometry, NiftiGeometrySource Source, string? Note) FromHeader(NiftiHeader h, string path)
    {
        var spacing = CheckedPixDim(h, path);
        if (h.SformCode > 0)
        {
            var (g, shear) = FromSform(h, path);
            if (shear is null) return (g, NiftiGeometrySource.Sform, null);
            if (h.QformCode <= 0)
                throw new InvalidDataException($"{path}: sform is not a rotation times scaling ({shear}) and there is no qform to fall back to");
            return (FromQform(h, spacing, path), NiftiGeometrySource.Qform, $"sform ignored: {shear}");
        }
        if (h.QformCode > 0) return (FromQform(h, spacing, path), NiftiGeometrySource.Qform, null);
        var pix = new VolumeGeometry(h.Shape, spacing, new Vec3(0, 0, 0), RasToLps);
        return (pix, NiftiGeometrySource.PixDim, null);
    }

    /// <summary>pixdim[1..3] as spacing; zero, negative or NaN voxel sizes mean a corrupt header.</summary>
    private static Vec3 CheckedPixDim(NiftiHeader h, string path)
    {
        var s = new double[3];
        for (var a = 1; a <= 3; a++)
        {
            var v = h.PixDim[a];
            var bad = !double.IsFinite(v) || v <= 0;
            // An axis beyond dim[0] (a 2D image's third axis) has no meaningful voxel size.
            if (bad && a > h.Rank) v = 1;
            else if (bad) throw new InvalidDataException($"{path}: invalid voxel spacing pixdim[{a}] = {v} (must be finite and > 0)");
            s[a - 1] = v;
        }
        return Vec3.FromArray(s);
    }

    private static (VolumeGeometry, string? Shear) FromSform(NiftiHeader h, string path)
    {
        double[][] rows = [[.. h.SRowX], [.. h.SRowY], [.. h.SRowZ]];
        if (rows.Any(r => r.Any(v => !double.IsFinite(v))))
            throw new InvalidDataException($"{path}: sform (srow_x/y/z) holds a non-finite value");
        var affine = new Mat3(rows[0][0], rows[0][1], rows[0][2], rows[1][0], rows[1][1], rows[1][2], rows[2][0], rows[2][1], rows[2][2]);
        var lps = RasToLps * affine;
        var cols = new[] { lps.Column(0), lps.Column(1), lps.Column(2) };
        var spacing = new Vec3(cols[0].Norm, cols[1].Norm, cols[2].Norm);
        for (var a = 0; a < 3; a++)
            if (!(spacing[a] > 0))
                throw new InvalidDataException($"{path}: invalid voxel spacing: sform column {a} has length 0");
        var dir = Mat3.FromColumns(cols[0].Normalized(), cols[1].Normalized(), cols[2].Normalized());
        var origin = RasToLps * new Vec3(rows[0][3], rows[1][3], rows[2][3]);
        string? shear = null;
        for (var a = 0; a < 3 && shear is null; a++)
            for (var b = a + 1; b < 3; b++)
            {
                var dot = dir.Column(a).Dot(dir.Column(b));
                // Float32 srows of an oblique scan are orthogonal to ~1e-7; 1e-3 matches VolumeGeometry's own tolerance.
                if (Math.Abs(dot) > 1e-3) { shear = FormattableString.Invariant($"axes {a} and {b} are at {Math.Acos(Math.Clamp(dot, -1, 1)) * 180 / Math.PI:F2} degrees"); break; }
            }
        return (new VolumeGeometry(h.Shape, spacing, origin, dir), shear);
    }

    private static VolumeGeometry FromQform(NiftiHeader h, Vec3 spacing, string path)
    {
        double b = h.QuaternB, c = h.QuaternC, d = h.QuaternD;
        if (!double.IsFinite(b) || !double.IsFinite(c) || !double.IsFinite(d) ||
            !double.IsFinite(h.QOffsetX) || !double.IsFinite(h.QOffsetY) || !double.IsFinite(h.QOffsetZ))
            throw new InvalidDataException($"{path}: qform quaternion or offset holds a non-finite value");
        var rot = QuaternionToMatrix(b, c, d);
        // qfac (pixdim[0]) = -1 flips the third axis: a left-handed grid.
        var qfac = h.PixDim[0] < 0 ? -1.0 : 1.0;
        var ras = Mat3.FromColumns(rot.Column(0), rot.Column(1), rot.Column(2) * qfac);
        var origin = RasToLps * new Vec3(h.QOffsetX, h.QOffsetY, h.QOffsetZ);
        return new VolumeGeometry(h.Shape, spacing, origin, RasToLps * ras);
    }

    /// <summary>Rotation of unit quaternion (a, b, c, d) with a = sqrt(1 - b² - c² - d²) ≥ 0, as in nifti1.h.</summary>
    internal static Mat3 QuaternionToMatrix(double b, double c, double d)
    {
        var s = b * b + c * c + d * d;
        double a;
        if (1 - s < 1e-7)
        {
            // A 180-degree rotation (or float noise past it): renormalise (b, c, d) and take a = 0.
            var n = 1 / Math.Sqrt(s);
            b *= n; c *= n; d *= n; a = 0;
        }
        else a = Math.Sqrt(1 - s);
        return new Mat3(
            a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
            2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
            2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b);
    }

    /// <summary>Quaternion (b, c, d) with a ≥ 0 of a proper rotation matrix (nifti_mat44_to_quatern's branches).</summary>
    internal static (double B, double C, double D) MatrixToQuaternion(Mat3 r)
    {
        double a = r.M00 + r.M11 + r.M22 + 1, b, c, d;
        if (a > 0.5)
        {
            a = 0.5 * Math.Sqrt(a);
            b = 0.25 * (r.M21 - r.M12) / a; c = 0.25 * (r.M02 - r.M20) / a; d = 0.25 * (r.M10 - r.M01) / a;
        }
        else
        {
            double xd = 1 + r.M00 - (r.M11 + r.M22), yd = 1 + r.M11 - (r.M00 + r.M22), zd = 1 + r.M22 - (r.M00 + r.M11);
            if (xd > 1)
            {
                b = 0.5 * Math.Sqrt(xd); c = 0.25 * (r.M01 + r.M10) / b; d = 0.25 * (r.M02 + r.M20) / b; a = 0.25 * (r.M21 - r.M12) / b;
            }
            else if (yd > 1)
            {
                c = 0.5 * Math.Sqrt(yd); b = 0.25 * (r.M01 + r.M10) / c; d = 0.25 * (r.M12 + r.M21) / c; a = 0.25 * (r.M02 - r.M20) / c;
            }
            else
            {
                d = 0.5 * Math.Sqrt(zd); b = 0.25 * (r.M02 + r.M20) / d; c = 0.25 * (r.M12 + r.M21) / d; a = 0.25 * (r.M10 - r.M01) / d;
            }
            if (a < 0) { b = -b; c = -c; d = -d; }
        }
        return (b, c, d);
    }

    /// <summary>The header fields that describe <paramref name="g"/>: qfac, quaternion, qoffset and the sform rows (RAS).</summary>
    public static NiftiHeader ApplyTo(NiftiHeader h, VolumeGeometry g)
    {
        var ras = RasToLps * g.Direction; // RasToLps is its own inverse
        var t = RasToLps * g.Origin;
        var qfac = ras.Determinant < 0 ? -1.0 : 1.0;
        var proper = Mat3.FromColumns(ras.Column(0), ras.Column(1), ras.Column(2) * qfac);
        var (qb, qc, qd) = MatrixToQuaternion(proper);
        var s = g.Spacing;
        double[] pix = [qfac, s.X, s.Y, s.Z, .. h.PixDim.Skip(4)];
        return h with
        {
            PixDim = pix,
            QuaternB = qb,
            QuaternC = qc,
            QuaternD = qd,
            QOffsetX = t.X,
            QOffsetY = t.Y,
            QOffsetZ = t.Z,
            SRowX = [ras.M00 * s.X, ras.M01 * s.Y, ras.M02 * s.Z, t.X],
            SRowY = [ras.M10 * s.X, ras.M11 * s.Y, ras.M12 * s.Z, t.Y],
            SRowZ = [ras.M20 * s.X, ras.M21 * s.Y, ras.M22 * s.Z, t.Z],
        };
    }
}
