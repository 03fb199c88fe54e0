using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// The intensity steps of preprocessing. Non-finite voxels (NaN, ±inf) become air: CT ClipMin, MR the finite minimum.
/// </summary>
public static class IntensityNormalizer
{
    /// <summary>
    /// CT, before resampling: a clamped copy in [ClipMin, ClipMax] HU, so out-of-field padding (-2048, -3024) is plain
    /// air before interpolation can mix it into tissue. The input is left untouched.
    /// </summary>
    public static Volume<float> ClampCt(Volume<float> image, IntensitySpec spec)
    {
        var src = image.Data;
        var dst = new float[src.Length];
        float lo = (float)spec.ClipMin, hi = (float)spec.ClipMax;
        if (VoxelMath.HasNonFinite(src))
        {
            src.AsSpan().CopyTo(dst);
            VoxelMath.ReplaceNonFinite(dst, lo);
            VoxelMath.Clamp(dst, dst, lo, hi);
        }
        else VoxelMath.Clamp(src, dst, lo, hi);
        return new Volume<float>(image.Geometry, dst);
    }

    /// <summary>
    /// CT, before resampling: the image itself when all values are finite, else a copy with NaN/±inf set to ClipMin.
    /// The clamp itself is then fused into the resampler's first pass (<see cref="InputClamp"/>), which avoids a
    /// full-size copy; <see cref="ClampCt"/> gives the same values as a separate step.
    /// </summary>
    public static Volume<float> SanitizeCt(Volume<float> image, IntensitySpec spec)
    {
        if (!VoxelMath.HasNonFinite(image.Data)) return image;
        var copy = (float[])image.Data.Clone();
        VoxelMath.ReplaceNonFinite(copy, (float)spec.ClipMin);
        return new Volume<float>(image.Geometry, copy);
    }

    /// <summary>The CT pre-clip window as an <see cref="InputClamp"/>.</summary>
    public static InputClamp CtClamp(IntensitySpec spec) => new((float)spec.ClipMin, (float)spec.ClipMax);

    /// <summary>
    /// MR, before resampling: the image itself when all values are finite, else a copy with non-finite voxels set to the
    /// finite minimum. Also returns that minimum (the "air" value for oblique out-of-field voxels).
    /// </summary>
    public static (Volume<float> Image, float Air) SanitizeMr(Volume<float> image)
    {
        var (min, _) = VoxelMath.FiniteMinMax(image.Data);
        if (float.IsNaN(min)) throw new InvalidDataException("image has no finite voxel values");
        if (!VoxelMath.HasNonFinite(image.Data)) return (image, min);
        var copy = (float[])image.Data.Clone();
        VoxelMath.ReplaceNonFinite(copy, min);
        return (new Volume<float>(image.Geometry, copy), min);
    }

    /// <summary>
    /// MR, after resampling, in place: clip to the [PercentileLow, PercentileHigh] percentiles of the whole volume and
    /// scale that window to [0, 1]. A volume whose window is empty (constant image) becomes all 0.
    /// Returns the window (low, high) in input units.
    /// </summary>
    public static (double Low, double High) ScaleMrInPlace(Span<float> data, IntensitySpec spec)
    {
        var p = Percentiles.Compute(data, spec.PercentileLow, spec.PercentileHigh);
        float lo = (float)p[0], hi = (float)p[1];
        if (!(hi > lo)) { data.Clear(); return (p[0], p[1]); }
        VoxelMath.AffineClampUnit(data, lo, hi - lo);
        return (p[0], p[1]);
    }
}
