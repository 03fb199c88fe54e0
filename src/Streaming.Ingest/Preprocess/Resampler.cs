using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>An image resampled onto the canonical grid, with its label map (if any) on exactly the same grid.</summary>
public sealed record ResampledPair(Volume<float> Image, Volume<byte>? Labels);

/// <summary>
/// Reorients to the canonical identity direction (LPS) and resamples to a target spacing.
/// <para>Axis-aligned inputs (direction a signed permutation within 1e-3): exact re-indexing, then separable linear
/// resampling. Output grid keeps the physical extent: n_out = floor((n_in - 1) * s_in / s_out) + 1, first output voxel
/// centred on the first input voxel (along each canonical axis), so no output voxel extrapolates past the last input
/// centre. The tiny residual rotation of a nearly aligned direction is dropped.</para>
/// <para>Oblique inputs: identity-direction grid covering the bounding box of the input's 8 corner voxel centres
/// (origin at its minimum corner), trilinear interpolation, <c>outside</c> where the input has no data.</para>
/// <para>Labels: nearest neighbour at the same output voxel centres (0 outside). No anti-aliasing prefilter is applied
/// when downsampling, as with SimpleITK's ResampleImageFilter or MONAI's Spacingd.</para>
/// </summary>
public static class Resampler
{
    /// <summary>Slack on n_out so that an extent that is an exact multiple of the target spacing is not lost to rounding.</summary>
    private const double GridEps = 1e-6;

    /// <param name="outside">Value of output voxels outside the input's field of view (oblique inputs only).</param>
    /// <param name="clamp">Clamp applied to input values before interpolation (CT pre-clip); the input must then be
    /// finite. Fused into the first pass, so it costs no copy of the input.</param>
    public static ResampledPair Resample(Volume<float> image, Volume<byte>? labels, Vec3 targetSpacing, float outside,
        int maxDegreeOfParallelism = 1, CancellationToken ct = default, InputClamp? clamp = null)
    {
        if (!targetSpacing.IsFinite || targetSpacing.X <= 0 || targetSpacing.Y <= 0 || targetSpacing.Z <= 0)
            throw new ArgumentException($"target spacing {targetSpacing} must be positive");
        if (maxDegreeOfParallelism < 1) throw new ArgumentException("maxDegreeOfParallelism must be >= 1");
        if (labels is not null && labels.Shape != image.Shape)
            throw new ArgumentException($"label shape {labels.Shape} differs from image shape {image.Shape}");

        var g = image.Geometry;
        var output = OutputGrid(g, targetSpacing);
        var align = AxisAlignment.TryDetect(g.Direction);
        if (align is null)
        {
            // Oblique inputs are rare: a clamped copy keeps the trilinear kernel simple.
            if (clamp is { } k)
            {
                var c = new float[image.Data.Length];
                VoxelMath.Clamp(image.Data, c, k.Min, k.Max);
                image = new Volume<float>(g, c);
            }
            var img = ObliqueResampler.Trilinear(image, output, outside, maxDegreeOfParallelism, ct);
            var lab = labels is null ? null : ObliqueResampler.Nearest(labels, output, maxDegreeOfParallelism, ct);
            return new ResampledPair(new Volume<float>(output, img), lab is null ? null : new Volume<byte>(output, lab));
        }
        return AxisAligned(image, labels, align, output, clamp, maxDegreeOfParallelism, ct);
    }

    /// <summary>The canonical output grid for an input geometry (see the class remarks for the rules).</summary>
    public static VolumeGeometry OutputGrid(VolumeGeometry input, Vec3 targetSpacing)
    {
        var align = AxisAlignment.TryDetect(input.Direction);
        if (align is not null)
        {
            var r = align.Reoriented(input);
            return new VolumeGeometry(
                new Int3(Count(r.Shape.X, r.Spacing.X, targetSpacing.X), Count(r.Shape.Y, r.Spacing.Y, targetSpacing.Y),
                    Count(r.Shape.Z, r.Spacing.Z, targetSpacing.Z)),
                targetSpacing, r.Origin, Mat3.Identity);
        }

        var min = new Vec3(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity);
        var max = new Vec3(double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity);
        for (var c = 0; c < 8; c++)
        {
            var p = input.IndexToPhysical(
                (c & 1) != 0 ? input.Shape.X - 1 : 0, (c & 2) != 0 ? input.Shape.Y - 1 : 0, (c & 4) != 0 ? input.Shape.Z - 1 : 0);
            min = new Vec3(Math.Min(min.X, p.X), Math.Min(min.Y, p.Y), Math.Min(min.Z, p.Z));
            max = new Vec3(Math.Max(max.X, p.X), Math.Max(max.Y, p.Y), Math.Max(max.Z, p.Z));
        }
        var ext = max - min;
        return new VolumeGeometry(
            new Int3(Span(ext.X, targetSpacing.X), Span(ext.Y, targetSpacing.Y), Span(ext.Z, targetSpacing.Z)),
            targetSpacing, min, Mat3.Identity);
    }

    private static int Count(int nIn, double sIn, double sOut) => Span((nIn - 1) * sIn, sOut);

    private static int Span(double extent, double spacing)
    {
        var n = Math.Floor(extent / spacing + GridEps) + 1;
        if (n > int.MaxValue / 2) throw new InvalidDataException($"resampled grid would have {n} voxels along one axis");
        return (int)n;
    }

    private static ResampledPair AxisAligned(Volume<float> image, Volume<byte>? labels, AxisAlignment align,
        VolumeGeometry output, InputClamp? clamp, int maxDop, CancellationToken ct)
    {
        var g = image.Geometry;
        var strides = AxisGather.Strides(g.Shape);

        // Labels: one gather does permutation, flips and nearest-neighbour resampling together.
        Volume<byte>? outLabels = null;
        if (labels is not null)
        {
            var off = new long[3][];
            for (var a = 0; a < 3; a++)
            {
                var i = align.InputAxis[a];
                var idx = AxisSamples.Nearest(g.Shape[i], g.Spacing[i], output.Shape[a], output.Spacing[a], align.Flipped[a]);
                off[a] = Array.ConvertAll(idx, v => v * strides[i]);
            }
            outLabels = new Volume<byte>(output, AxisGather.Gather(labels.Data, output.Shape, off[0], off[1], off[2], maxDop, ct));
        }

        // Image: permute axes exactly when needed (flips are folded into the linear passes' sample tables).
        var data = image.Data;
        var shape = g.Shape;
        var flips = align.Flipped;
        if (!align.IsIdentityPermutation)
        {
            shape = new Int3(g.Shape[align.InputAxis[0]], g.Shape[align.InputAxis[1]], g.Shape[align.InputAxis[2]]);
            data = AxisGather.Gather(data, shape,
                AxisGather.PermuteOffsets(shape.X, flips[0], strides[align.InputAxis[0]]),
                AxisGather.PermuteOffsets(shape.Y, flips[1], strides[align.InputAxis[1]]),
                AxisGather.PermuteOffsets(shape.Z, flips[2], strides[align.InputAxis[2]]), maxDop, ct);
            flips = [false, false, false];
            if (clamp is { } k) VoxelMath.Clamp(data, data, k.Min, k.Max); // our own copy: clamp in place
            clamp = null;
        }
        var samples = new AxisSamples[3];
        for (var a = 0; a < 3; a++)
            samples[a] = AxisSamples.Linear(shape[a], g.Spacing[align.InputAxis[a]], output.Shape[a], output.Spacing[a], flips[a]);
        var resampled = SeparableResampler.Resample(data, shape, samples, clamp, maxDop, ct);
        return new ResampledPair(new Volume<float>(output, resampled), outLabels);
    }
}
