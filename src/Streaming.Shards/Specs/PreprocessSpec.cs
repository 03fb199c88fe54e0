using System.Text.Json.Serialization;
using Streaming.Imaging.Volumes;
using Streaming.Shards.Format;

namespace Streaming.Shards.Specs;

/// <summary>
/// Everything that decides the bytes of a preprocessed volume. Its canonical JSON (see <see cref="SpecHasher"/>)
/// plus the shard format version is the cache key, so any change here lands in a fresh cache folder.
/// </summary>
public sealed record PreprocessSpec
{
    public required string Name { get; init; }
    public required Modality Modality { get; init; }
    /// <summary>Target voxel spacing in mm along the canonical (LPS-aligned) axes.</summary>
    public required Vec3 TargetSpacing { get; init; }
    public required IntensitySpec Intensity { get; init; }
    public required BodySpec Body { get; init; }
    public required CropSpec Crop { get; init; }
    public required ShardSpec Shard { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("spec name is empty");
        if (!TargetSpacing.IsFinite || TargetSpacing.X <= 0 || TargetSpacing.Y <= 0 || TargetSpacing.Z <= 0)
            throw new ArgumentException($"target spacing {TargetSpacing} must be positive");
        Intensity.Validate(Modality);
        Body.Validate();
        Crop.Validate();
        Shard.Validate();
    }
}

/// <summary>
/// CT: values clamped to [ClipMin, ClipMax] HU before resampling (so out-of-field padding such as -2048 becomes air)
/// and stored as int16. MR: clipped to the [PercentileLow, PercentileHigh] percentiles and scaled to [0, 1].
/// </summary>
public sealed record IntensitySpec
{
    public double ClipMin { get; init; } = -1024;
    public double ClipMax { get; init; } = 3071;
    public double PercentileLow { get; init; } = 0.01;
    public double PercentileHigh { get; init; } = 99.9;

    public void Validate(Modality m)
    {
        if (m == Modality.CT && !(ClipMin < ClipMax)) throw new ArgumentException("intensity.clipMin must be < clipMax");
        if (m == Modality.CT && (ClipMin < short.MinValue || ClipMax > short.MaxValue))
            throw new ArgumentException("CT clip window must fit int16");
        if (!(PercentileLow >= 0 && PercentileLow < PercentileHigh && PercentileHigh <= 100))
            throw new ArgumentException("percentiles must satisfy 0 <= low < high <= 100");
    }
}

/// <summary>Which border air counts as "outside the body" (see <see cref="BodySpec.Fill"/>).</summary>
public enum BodyFill
{
    /// <summary>Per axial (canonical z) slice: air 4-connected in-plane to the slice's edge. Lungs and airways stay
    /// body even where the scan cuts through them or the airway opens to the nose/mouth.</summary>
    AxialSlices,
    /// <summary>Air 6-connected in 3-D to any face of the volume, the two z end faces included.</summary>
    Volume,
}

/// <summary>Body = not(air flood-connected to the border), air = value below AirThreshold (after intensity step).</summary>
public sealed record BodySpec
{
    /// <summary>The defaults of a modality: CT's air threshold in HU, MR's on the [0, 1] range its intensity step scales to.</summary>
    public static BodySpec DefaultFor(Modality m) => m == Modality.CT ? new() : new() { AirThreshold = 0.3 };

    public double AirThreshold { get; init; } = -500;
    /// <summary>
    /// How "connected to the border" is decided. AxialSlices by default: with Volume, lungs cut by the top of an abdominal
    /// scan, or reached through a trachea cut at the top of a chest scan, are border-connected air and fall outside.
    /// </summary>
    public BodyFill Fill { get; init; } = BodyFill.AxialSlices;
    /// <summary>A volume whose body is smaller than this (in mL) is rejected.</summary>
    public double MinBodyMl { get; init; } = 50;

    public void Validate()
    {
        if (!double.IsFinite(AirThreshold)) throw new ArgumentException("body.airThreshold must be finite");
        if (!Enum.IsDefined(Fill)) throw new ArgumentException($"body.fill {Fill} is not a known fill mode");
        if (MinBodyMl < 0) throw new ArgumentException("body.minBodyMl must be >= 0");
    }
}

/// <summary>
/// Crop to the body's bounding box plus Margin voxels, then pad (with air) so every axis holds MinShape. With
/// FixedExtentMm, an axis with a positive extent is instead cut to exactly that many mm (rounded to whole voxels)
/// centred on the body box, padding or cutting off body as needed; a zero extent keeps the body box on that axis.
/// </summary>
public sealed record CropSpec
{
    public Int3 MinShape { get; init; } = new(128, 128, 32);
    public int Margin { get; init; } = 0;
    /// <summary>
    /// Fixed field of view (mm, x y z) centred on the body box, so a voxel position means the same place relative to
    /// the body in every volume (SAL's relative slice position needs it). Null = body-box crop. Left out of the
    /// canonical JSON when null, so specs that do not use it keep their cache keys.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Vec3? FixedExtentMm { get; init; }

    public void Validate()
    {
        if (!MinShape.AllPositive) throw new ArgumentException("crop.minShape must be positive");
        if (Margin < 0) throw new ArgumentException("crop.margin must be >= 0");
        if (FixedExtentMm is { } e && (!e.IsFinite || e.X < 0 || e.Y < 0 || e.Z < 0 || e is { X: 0, Y: 0, Z: 0 }))
            throw new ArgumentException($"crop.fixedExtentMm {e} must be finite, >= 0 (0 = body box on that axis) and not all 0");
    }
}
