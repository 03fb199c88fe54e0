using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Read;

/// <summary>
/// Puts a label map onto its image's voxel grid. Archives often store labels with other axis conventions than the
/// image (e.g. TotalSegmentator's labels for a DICOM series are y-flipped NIfTI): the same voxels, differently indexed.
/// Each image voxel takes the label at the nearest label voxel of the same physical position, which is an exact
/// re-indexing when the grids coincide up to axis flips/permutations.
/// </summary>
public static class LabelAlignment
{
    /// <summary>Share of image voxels that must fall inside the label map for the pair to count as one case.</summary>
    public const double MinCoverage = 0.9;

    public static Volume<byte> ToImageGrid(Volume<byte> labels, VolumeGeometry image, string labelPath)
    {
        var lg = labels.Geometry;
        if (SameGrid(lg, image)) return labels;
        var shape = image.Shape;
        var outData = new byte[shape.Volume];
        // Label continuous index of image voxel (i,j,k) is affine: base + i*dx + j*dy + k*dz.
        var toLabel = Scale(lg.Spacing, invert: true) * lg.Direction.Inverse();
        Vec3 At(double i, double j, double k) => toLabel * (image.IndexToPhysical(i, j, k) - lg.Origin);
        var b = At(0, 0, 0);
        var dx = At(1, 0, 0) - b; var dy = At(0, 1, 0) - b; var dz = At(0, 0, 1) - b;
        var ls = lg.Shape;
        long inside = 0;
        Parallel.For(0, shape.Z, k =>
        {
            long local = 0;
            for (var j = 0; j < shape.Y; j++)
            {
                var p = b + dy * j + dz * k;
                var o = shape.Index(0, j, k);
                for (var i = 0; i < shape.X; i++, p += dx)
                {
                    var x = (int)Math.Round(p.X); var y = (int)Math.Round(p.Y); var z = (int)Math.Round(p.Z);
                    if ((uint)x < (uint)ls.X && (uint)y < (uint)ls.Y && (uint)z < (uint)ls.Z)
                    {
                        outData[o + i] = labels.Data[ls.Index(x, y, z)];
                        local++;
                    }
                }
            }
            Interlocked.Add(ref inside, local);
        });
        var coverage = inside / (double)shape.Volume;
        if (coverage < MinCoverage)
            throw new InvalidDataException($"{labelPath}: label map covers only {coverage:P1} of the image (label grid {lg}; image grid {image})");
        return new Volume<byte>(image, outData);
    }

    private static bool SameGrid(VolumeGeometry a, VolumeGeometry b) =>
        a.Shape == b.Shape && (a.Origin - b.Origin).Norm < 1e-3 && (a.Spacing - b.Spacing).Norm < 1e-4 && a.Direction.ApproximatelyEquals(b.Direction, 1e-4);

    private static Mat3 Scale(Vec3 s, bool invert) =>
        invert ? new Mat3(1 / s.X, 0, 0, 0, 1 / s.Y, 0, 0, 0, 1 / s.Z) : new Mat3(s.X, 0, 0, 0, s.Y, 0, 0, 0, s.Z);
}
