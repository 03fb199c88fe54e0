using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;

namespace Streaming.Evaluation.Data;

/// <summary>
/// One labeled volume as the models see it: the preprocessed image already scaled to the network's input range,
/// its label map on the same (final, cropped canonical) grid, and the record that maps it back to the source geometry.
/// </summary>
public sealed record LabeledCase(string Id, VolumeRecord Record, Volume<float> Input, Volume<byte> Labels)
{
    /// <summary>The cached values before input scaling (HU for CT), for protocols that use another window; null when
    /// the case was built from scaled values only.</summary>
    public Volume<float>? Source { get; init; }

    /// <summary>The input under <paramref name="scaling"/> (a new copy), from <see cref="Source"/>.</summary>
    public Volume<float> ScaledWith(InputScaling scaling) =>
        Scaled(Source ?? throw new InvalidOperationException($"{Id}: no unscaled source values to apply {scaling} to"), scaling);

    /// <summary>A copy of <paramref name="source"/> through <paramref name="scaling"/>.</summary>
    public static Volume<float> Scaled(Volume<float> source, InputScaling scaling)
    {
        var data = (float[])source.Data.Clone();
        scaling.Apply(data);
        return new Volume<float>(source.Geometry, data);
    }

    public Int3 Shape => Input.Shape;
    public Vec3 Spacing => Input.Geometry.Spacing;
}
