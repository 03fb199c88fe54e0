using System.Diagnostics;
using System.Globalization;
using Streaming.Ingest.Read;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>
/// The whole preprocessing chain for one volume:
/// CT clamp (before resampling) → reorient + resample to the canonical grid (labels: nearest neighbour, same grid)
/// → MR percentile clip + [0, 1] scaling → body mask → crop/pad → statistics. CT stays in HU.
/// </summary>
public static class Preprocessor
{
    public static PreprocessedVolume Run(LoadedImage image, Volume<byte>? labels, PreprocessSpec spec,
        PreprocessTimings? timings = null, CancellationToken ct = default) =>
        Run(image, labels, spec, PreprocessOptions.Default, timings, ct);

    /// <exception cref="InvalidDataException">The image cannot be preprocessed (bad geometry, label grid mismatch,
    /// body empty or too small); the message gives the reason, prefixed by <see cref="PreprocessOptions.SourceName"/>.</exception>
    public static PreprocessedVolume Run(LoadedImage image, Volume<byte>? labels, PreprocessSpec spec,
        PreprocessOptions options, PreprocessTimings? timings = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        spec.Validate();
        options.Validate();
        try
        {
            return RunChecked(image.Volume, labels, spec, options, timings, ct);
        }
        catch (InvalidDataException e) when (options.SourceName is { } name && !e.Message.StartsWith(name, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{name}: {e.Message}", e);
        }
    }

    private static PreprocessedVolume RunChecked(Volume<float> source, Volume<byte>? labels, PreprocessSpec spec,
        PreprocessOptions options, PreprocessTimings? timings, CancellationToken ct)
    {
        var g = source.Geometry;
        g.Validate();
        if (labels is not null) CheckLabelGrid(g, labels.Geometry);
        var dop = options.MaxDegreeOfParallelism;
        var ctMode = spec.Modality == Modality.CT;

        var t0 = Stopwatch.GetTimestamp();
        Volume<float> prepared;
        float air;
        InputClamp? clamp = null;
        if (ctMode)
        {
            // The CT clamp happens on the input values as the resampler's first pass reads them (same result as
            // clamping a copy first, without copying 300 MB).
            prepared = IntensityNormalizer.SanitizeCt(source, spec.Intensity);
            clamp = IntensityNormalizer.CtClamp(spec.Intensity);
            air = (float)spec.Intensity.ClipMin;
        }
        else (prepared, air) = IntensityNormalizer.SanitizeMr(source);
        var t1 = Stopwatch.GetTimestamp();
        timings?.AddIntensity(t1 - t0);
        ct.ThrowIfCancellationRequested();

        var resampled = Resampler.Resample(prepared, labels, spec.TargetSpacing, air, dop, ct, clamp);
        var t2 = Stopwatch.GetTimestamp();
        timings?.AddResample(t2 - t1);

        if (!ctMode)
        {
            IntensityNormalizer.ScaleMrInPlace(resampled.Image.Data, spec.Intensity);
            air = 0f;
            timings?.AddIntensity(Stopwatch.GetTimestamp() - t2);
        }
        ct.ThrowIfCancellationRequested();

        var t3 = Stopwatch.GetTimestamp();
        var body = BodyMask.Compute(resampled.Image, spec.Body.AirThreshold, spec.Body.Fill, ct);
        CheckBody(body, spec.Body);
        var t4 = Stopwatch.GetTimestamp();
        timings?.AddBody(t4 - t3);

        var crop = Cropper.Crop(resampled.Image, body.Mask, resampled.Labels, spec.Crop, air);
        var t5 = Stopwatch.GetTimestamp();
        timings?.AddCrop(t5 - t4);

        var stats = IntensityStatistics.Compute(crop.Image.Data, crop.Body.Data);
        timings?.AddStats(Stopwatch.GetTimestamp() - t5);
        timings?.AddVolume();

        return new PreprocessedVolume(crop.Image, crop.Body, crop.Labels, g, resampled.Image.Geometry, crop.Box, stats);
    }

    private static void CheckLabelGrid(VolumeGeometry image, VolumeGeometry label)
    {
        // Same tolerance idea as ITK's (1e-6 of the spacing for origins, 1e-6 on direction cosines), a bit looser.
        var tol = 1e-4 * Math.Min(image.Spacing.X, Math.Min(image.Spacing.Y, image.Spacing.Z));
        if (label.Shape != image.Shape)
            throw new InvalidDataException($"label map shape {label.Shape} differs from image shape {image.Shape}");
        if ((label.Spacing - image.Spacing).Norm > tol || (label.Origin - image.Origin).Norm > tol ||
            !label.Direction.ApproximatelyEquals(image.Direction, 1e-4))
            throw new InvalidDataException($"label map grid ({label}) differs from image grid ({image})");
    }

    private static void CheckBody(BodyMaskResult body, BodySpec spec)
    {
        var thr = spec.AirThreshold.ToString("G6", CultureInfo.InvariantCulture);
        if (body.BodyVoxels == 0)
            throw new InvalidDataException(
                $"body is empty: every voxel is air (below {thr}) connected to the volume border");
        if (body.BodyMl < spec.MinBodyMl)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"body is {body.BodyMl:F1} mL, below the minimum {spec.MinBodyMl:G6} mL (air threshold {thr})"));
    }
}
