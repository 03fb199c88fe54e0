using Streaming.Ingest.Volumes;
using Streaming.Synth.Anatomy;
using Streaming.Synth.Render;

namespace Streaming.Synth;

/// <summary>A rendered phantom: intensities (HU for CT), organ labels on the same grid, and the parameters that made it.</summary>
public sealed record Phantom(PhantomParameters Parameters, Volume<float> Image, Volume<byte> Labels);

/// <summary>Parameters → scene → voxels. Deterministic: the same parameters give byte-identical volumes.</summary>
public static class PhantomGenerator
{
    public static Phantom Generate(PhantomParameters p, CancellationToken ct = default)
    {
        var g = p.Geometry;
        g.Validate();
        var scene = SceneBuilder.Build(p);
        var (tissue, labels) = Rasterizer.Paint(scene, g, ct);
        var image = ImageSimulator.Simulate(p, tissue, ct);
        return new Phantom(p, new Volume<float>(g, image), new Volume<byte>(g, labels));
    }

    /// <summary>Convenience: draw parameters from a seed and render.</summary>
    public static Phantom Generate(long seed, Modality modality, SynthSize size, FieldOfView? fov = null, CancellationToken ct = default) =>
        Generate(PhantomSampler.Draw(seed, modality, size, fov), ct);
}
