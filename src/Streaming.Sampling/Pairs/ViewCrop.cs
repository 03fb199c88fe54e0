using Streaming.Imaging.Volumes;

namespace Streaming.Sampling.Pairs;

/// <summary>
/// How a view relates to its volume. vox2vec's only spatial augmentation is the crop, so a volume voxel maps into the
/// view by subtracting the origin; a later flip/rotation would replace this mapping (and apply itself to the pixels).
/// </summary>
public readonly record struct ViewCrop(Int3 Origin, Int3 Shape)
{
    public Int3 ToView(Int3 volumeVoxel) => volumeVoxel - Origin;
    public Int3 ToVolume(Int3 viewVoxel) => viewVoxel + Origin;
}
