using Streaming.Imaging.Volumes;
using Streaming.Shards.Format;

namespace Streaming.Ingest.Preprocess;

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
    IntensityStats Stats)
{
    /// <summary>What the shard stores of it (the shard format knows nothing of preprocessing).</summary>
    public ShardInput ToShardInput() => new(Image, Body, Labels, SourceGeometry, ResampledGeometry, Crop, Stats);
}
