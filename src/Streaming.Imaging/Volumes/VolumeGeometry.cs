namespace Streaming.Imaging.Volumes;

/// <summary>
/// Where a voxel grid sits in patient space, with ITK/DICOM conventions: physical = Origin + Direction * (Spacing ∘ index),
/// in LPS millimetres (x to the patient's left, y posterior, z superior). Voxel (x, y, z) is stored at
/// x + Shape.X * (y + Shape.Y * z).
/// </summary>
public sealed record VolumeGeometry(Int3 Shape, Vec3 Spacing, Vec3 Origin, Mat3 Direction)
{
    public static VolumeGeometry Axial(Int3 shape, Vec3 spacing, Vec3? origin = null) =>
        new(shape, spacing, origin ?? new Vec3(0, 0, 0), Mat3.Identity);

    public Vec3 IndexToPhysical(double i, double j, double k) =>
        Origin + Direction * new Vec3(i * Spacing.X, j * Spacing.Y, k * Spacing.Z);

    public Vec3 PhysicalToIndex(Vec3 p)
    {
        var v = Direction.Inverse() * (p - Origin);
        return new Vec3(v.X / Spacing.X, v.Y / Spacing.Y, v.Z / Spacing.Z);
    }

    /// <summary>Throws with a reason when the geometry cannot describe a real image.</summary>
    public void Validate()
    {
        if (!Shape.AllPositive) throw new InvalidDataException($"non-positive image shape {Shape}");
        if (!Spacing.IsFinite || Spacing.X <= 0 || Spacing.Y <= 0 || Spacing.Z <= 0)
            throw new InvalidDataException($"invalid voxel spacing {Spacing} (must be finite and > 0)");
        if (!Origin.IsFinite) throw new InvalidDataException($"invalid origin {Origin}");
        if (!Direction.IsFinite || Math.Abs(Math.Abs(Direction.Determinant) - 1) > 1e-3)
            throw new InvalidDataException("direction matrix is not orthonormal");
    }

    public override string ToString() => $"shape {Shape}, spacing {Spacing}, origin {Origin}";
}
