using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Output;

/// <summary>
/// How one case's NIfTI files are written, varied across cases as real archives are: which forms carry the geometry,
/// NIfTI-1 or -2, axes stored flipped, int16 with or without scl_slope/scl_inter, float32 for some MRI.
/// </summary>
public sealed record NiftiConvention(
    int Version, int SformCode, int QformCode, bool FlipX, bool FlipY,
    NiftiDataType ImageType, double SclSlope, double SclInter)
{
    public static NiftiConvention Default { get; } = new(1, 1, 1, false, false, NiftiDataType.Int16, 1, 0);

    public static NiftiConvention Draw(SynthRandom r, Modality modality)
    {
        var u = r.NextDouble();
        var (sform, qform) = u switch { < 0.4 => (1, 1), < 0.65 => (2, 0), < 0.9 => (0, 1), _ => (1, 2) };
        var version = r.Chance(0.12) ? 2 : 1;
        var flipX = r.Chance(0.25);
        var flipY = r.Chance(0.15);
        NiftiDataType type; double slope = 1, inter = 0;
        if (modality == Modality.CT)
        {
            type = NiftiDataType.Int16;
            // Some archives store HU + 1024 with scl_inter = -1024 (values then fit unsigned ranges).
            if (r.Chance(0.3)) inter = -1024;
        }
        else
        {
            var v = r.NextDouble();
            (type, slope) = v switch { < 0.5 => (NiftiDataType.Int16, 1.0), < 0.75 => (NiftiDataType.Float32, 1.0), _ => (NiftiDataType.UInt16, 0.5) };
        }
        return new NiftiConvention(version, sform, qform, flipX, flipY, type, slope, inter);
    }

    public NiftiWriteOptions ImageOptions(int compressionLevel, string description) => new()
    {
        DataType = ImageType, Version = Version, SformCode = SformCode, QformCode = QformCode,
        SclSlope = SclSlope, SclInter = SclInter, CompressionLevel = compressionLevel, Description = description,
    };

    public NiftiWriteOptions LabelOptions(int compressionLevel) => new()
    {
        DataType = NiftiDataType.UInt8, Version = Version, SformCode = SformCode, QformCode = QformCode,
        CompressionLevel = compressionLevel, Description = "streaming synth labels",
    };

    /// <summary>The volume as it will be stored: flipped axes applied.</summary>
    public Volume<T> Apply<T>(Volume<T> v) where T : unmanaged
    {
        if (FlipX) v = GridFlip.Flip(v, 0);
        if (FlipY) v = GridFlip.Flip(v, 1);
        return v;
    }

    public override string ToString() =>
        $"nifti{Version} sform={SformCode} qform={QformCode}{(FlipX ? " flipX" : "")}{(FlipY ? " flipY" : "")} {ImageType} slope={SclSlope} inter={SclInter}";
}
