using Streaming.Imaging.Volumes;
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
        if (p.Modality == Modality.CT && p.OutOfFieldValue is not null) ClearOutsideField(p, labels);
        return new Phantom(p, new Volume<float>(g, image), new Volume<byte>(g, labels));
    }

    /// <summary>
    /// Anatomy outside the reconstruction circle is not in the image (a large patient is truncated), so it is not
    /// labelled either, as in label maps drawn on real scans.
    /// </summary>
    private static void ClearOutsideField(PhantomParameters p, byte[] labels)
    {
        var (lo, hi) = ImageSimulator.FieldCircle(p);
        int nx = p.Shape.X, ny = p.Shape.Y;
        for (var k = 0; k < p.Shape.Z; k++)
            for (var j = 0; j < ny; j++)
            {
                var row = labels.AsSpan((k * ny + j) * nx, nx);
                if (lo[j] > hi[j]) { row.Clear(); continue; }
                row[..lo[j]].Clear();
                row[(hi[j] + 1)..].Clear();
            }
    }

    /// <summary>Convenience: draw parameters from a seed and render.</summary>
    public static Phantom Generate(long seed, Modality modality, SynthSize size, FieldOfView? fov = null, CancellationToken ct = default) =>
        Generate(PhantomSampler.Draw(seed, modality, size, fov), ct);
}
