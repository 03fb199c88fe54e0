using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Data;

/// <summary>
/// One labeled volume as the models see it: the preprocessed image already scaled to the network's input range,
/// its label map on the same (final, cropped canonical) grid, and the record that maps it back to the source geometry.
/// </summary>
public sealed record LabeledCase(string Id, VolumeRecord Record, Volume<float> Input, Volume<byte> Labels)
{
    public Int3 Shape => Input.Shape;
    public Vec3 Spacing => Input.Geometry.Spacing;
}
