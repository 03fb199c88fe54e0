using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// A direction matrix that is a signed permutation: canonical (LPS) axis a is fed by input axis InputAxis[a], running
/// backwards when Flipped[a]. Such inputs are reoriented exactly, by re-indexing, with no interpolation.
/// </summary>
internal sealed class AxisAlignment
{
    /// <summary>Tolerance on direction cosines: a column within this of ±e_a counts as aligned with axis a.</summary>
    public const double Tolerance = 1e-3;

    private AxisAlignment(int[] inputAxis, bool[] flipped) { InputAxis = inputAxis; Flipped = flipped; }

    public int[] InputAxis { get; }
    public bool[] Flipped { get; }
    public bool IsIdentityPermutation => InputAxis[0] == 0 && InputAxis[1] == 1 && InputAxis[2] == 2;

    public static AxisAlignment? TryDetect(Mat3 direction)
    {
        var inputAxis = new[] { -1, -1, -1 };
        var flipped = new bool[3];
        for (var i = 0; i < 3; i++)
        {
            var col = direction.Column(i);
            var hit = -1;
            for (var a = 0; a < 3; a++)
            {
                var c = col[a];
                if (Math.Abs(Math.Abs(c) - 1) <= Tolerance) { if (hit >= 0) return null; hit = a; }
                else if (Math.Abs(c) > Tolerance) return null;
            }
            if (hit < 0 || inputAxis[hit] >= 0) return null;
            inputAxis[hit] = i;
            flipped[hit] = col[hit] < 0;
        }
        return new AxisAlignment(inputAxis, flipped);
    }

    /// <summary>The input voxel index that becomes canonical voxel (0, 0, 0): the first voxel along each output axis.</summary>
    public Int3 CornerIndex(Int3 inputShape)
    {
        var c = new int[3];
        for (var a = 0; a < 3; a++) c[InputAxis[a]] = Flipped[a] ? inputShape[InputAxis[a]] - 1 : 0;
        return new Int3(c[0], c[1], c[2]);
    }

    /// <summary>The grid of the reoriented (not yet resampled) image: identity direction, permuted shape/spacing.</summary>
    public VolumeGeometry Reoriented(VolumeGeometry g)
    {
        var corner = CornerIndex(g.Shape);
        return new VolumeGeometry(
            new Int3(g.Shape[InputAxis[0]], g.Shape[InputAxis[1]], g.Shape[InputAxis[2]]),
            new Vec3(g.Spacing[InputAxis[0]], g.Spacing[InputAxis[1]], g.Spacing[InputAxis[2]]),
            g.IndexToPhysical(corner.X, corner.Y, corner.Z),
            Mat3.Identity);
    }
}
