using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// Resizes a cropped volume to a fixed shape (the spec's <c>targetShape</c>, e.g. 128x128x64 as in voxel-level
/// SimSiam): the box keeps its physical corners, so spacing becomes n x s / N per axis and the origin moves by half
/// the change of voxel size. Image: separable linear (= trilinear), samples at half-voxel centres, edges clamped.
/// Body mask and labels: nearest (the input voxel whose extent holds the output centre), so label values are never
/// mixed. Downsampling has no anti-aliasing prefilter, like the spacing step and MONAI's Resized.
/// </summary>
public static class FixedShapeResizer
{
    public static CropResult Resize(CropResult crop, Int3 shape, int maxDegreeOfParallelism = 1, CancellationToken ct = default)
    {
        if (!shape.AllPositive) throw new ArgumentException($"target shape {shape} must be positive");
        var g = crop.Image.Geometry;
        if (g.Shape == shape) return crop;
        var geometry = Geometry(g, shape);
        var samples = new[] { AxisSamples.Resize(g.Shape.X, shape.X), AxisSamples.Resize(g.Shape.Y, shape.Y), AxisSamples.Resize(g.Shape.Z, shape.Z) };
        var image = SeparableResampler.Resample(crop.Image.Data, g.Shape, samples, null, maxDegreeOfParallelism, ct);
        var strides = AxisGather.Strides(g.Shape);
        long[] Offsets(int axis) => Array.ConvertAll(AxisSamples.NearestResize(g.Shape[axis], shape[axis]), i => i * strides[axis]);
        long[] ox = Offsets(0), oy = Offsets(1), oz = Offsets(2);
        var body = AxisGather.Gather(crop.Body.Data, shape, ox, oy, oz, maxDegreeOfParallelism, ct);
        var labels = crop.Labels is null ? null : AxisGather.Gather(crop.Labels.Data, shape, ox, oy, oz, maxDegreeOfParallelism, ct);
        return new CropResult(new Volume<float>(geometry, image), new Volume<byte>(geometry, body),
            labels is null ? null : new Volume<byte>(geometry, labels), crop.Box);
    }

    /// <summary>The resized grid: same corners and direction, spacing n s / N, first centre half a new voxel in from the corner.</summary>
    public static VolumeGeometry Geometry(VolumeGeometry g, Int3 shape)
    {
        var spacing = new Vec3(g.Spacing.X * g.Shape.X / shape.X, g.Spacing.Y * g.Shape.Y / shape.Y, g.Spacing.Z * g.Shape.Z / shape.Z);
        // Corner (index -0.5) stays put: origin' = corner + D (s' / 2).
        var corner = g.IndexToPhysical(-0.5, -0.5, -0.5);
        var origin = corner + g.Direction * new Vec3(spacing.X / 2, spacing.Y / 2, spacing.Z / 2);
        return new VolumeGeometry(shape, spacing, origin, g.Direction);
    }
}
