using Streaming.Ingest.Volumes;

namespace Streaming.Ingest.Preprocess;

/// <summary>Crop box in the voxel grid of the resampled (pre-crop) volume: Start inclusive, Shape extent.
/// Start may be negative / extend past the grid where padding was added.</summary>
public sealed record CropBox(Int3 Start, Int3 Shape);

public sealed record IntensityStats(double Min, double Max, double Mean, double Std, double P01, double P999, double BodyMean, double BodyStd);

/// <summary>
/// Output of preprocessing: the canonical, resampled, intensity-normalised and cropped image (CT in HU, MR in [0,1]),
/// its body mask (1 = body) and optional label map on the same grid, and what is needed to map back to the source.
/// </summary>
public sealed record PreprocessedVolume(
    Volume<float> Image,
    Volume<byte> Body,
    Volume<byte>? Labels,
    VolumeGeometry SourceGeometry,
    VolumeGeometry ResampledGeometry,
    CropBox Crop,
    IntensityStats Stats);
