using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Inference;

/// <summary>
/// Puts a label map predicted on a cached volume's final grid (canonical, resampled, cropped) back onto the source
/// image's original grid by nearest neighbour in physical space, so the prediction overlays the source image in
/// ITK-SNAP or 3D Slicer. Original voxels outside the crop (or outside the final grid for any reason) get background.
/// </summary>
public static class OriginalGridResampler
{
    public static Volume<byte> ToOriginal(ReadOnlySpan<byte> labels, VolumeRecord record)
    {
        var final = (record.FinalGeometry ?? throw new InvalidDataException($"{record.Id}: volume record has no final geometry")).ToGeometry();
        var original = (record.OriginalGeometry ?? throw new InvalidDataException($"{record.Id}: volume record has no original geometry")).ToGeometry();
        return Resample(labels, final, original);
    }

    public static Volume<byte> Resample(ReadOnlySpan<byte> labels, VolumeGeometry from, VolumeGeometry to)
    {
        if (labels.Length != from.Shape.Volume) throw new ArgumentException($"label map has {labels.Length} voxels, grid {from.Shape} needs {from.Shape.Volume}");
        var output = new byte[to.Shape.Volume];
        // The source index of target voxel (i, j, k) is affine in (i, j, k): base + i*dx + j*dy + k*dz.
        var b = from.PhysicalToIndex(to.IndexToPhysical(0, 0, 0));
        var dx = from.PhysicalToIndex(to.IndexToPhysical(1, 0, 0)) - b;
        var dy = from.PhysicalToIndex(to.IndexToPhysical(0, 1, 0)) - b;
        var dz = from.PhysicalToIndex(to.IndexToPhysical(0, 0, 1)) - b;
        var fs = from.Shape; var ts = to.Shape;
        for (var k = 0; k < ts.Z; k++)
            for (var j = 0; j < ts.Y; j++)
            {
                var p = b + dy * j + dz * k;
                var o = ts.Index(0, j, k);
                for (var i = 0; i < ts.X; i++, p += dx)
                {
                    // Half-voxel ties round away from zero so the result does not depend on banker's rounding.
                    var x = (int)Math.Round(p.X, MidpointRounding.AwayFromZero);
                    var y = (int)Math.Round(p.Y, MidpointRounding.AwayFromZero);
                    var z = (int)Math.Round(p.Z, MidpointRounding.AwayFromZero);
                    if ((uint)x < (uint)fs.X && (uint)y < (uint)fs.Y && (uint)z < (uint)fs.Z)
                        output[o + i] = labels[(int)fs.Index(x, y, z)];
                }
            }
        return new Volume<byte>(to, output);
    }
}
