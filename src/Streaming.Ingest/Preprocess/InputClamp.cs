namespace Streaming.Ingest.Preprocess;

/// <summary>
/// A clamp applied to input voxels before they are interpolated (the CT pre-clip). The resampler fuses it into its
/// first pass, which gives the same values as clamping a copy first without the full-size copy.
/// </summary>
public readonly record struct InputClamp(float Min, float Max)
{
    public float Apply(float v) => Math.Clamp(v, Min, Max);
}
