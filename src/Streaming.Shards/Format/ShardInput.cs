using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Format;

/// <summary>
/// What <see cref="ShardWriter"/> stores for one volume: the final image (CT in HU, MR in [0, 1]), its body mask
/// (1 = body) and optional label map on the same grid, and the provenance its <see cref="VolumeRecord"/> keeps so a
/// prediction maps back to the source: the source and resampled grids, the crop box and the intensity statistics.
/// </summary>
public sealed record ShardInput(
    Volume<float> Image,
    Volume<byte> Body,
    Volume<byte>? Labels,
    VolumeGeometry SourceGeometry,
    VolumeGeometry ResampledGeometry,
    CropBox Crop,
    IntensityStats Stats);
