using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth;

/// <summary>
/// Phantoms on a grid the caller chooses (benchmarks and tests that need a size the presets do not give): the patient
/// a seed draws at full size, centred in a canonical grid of the given shape and spacing. The only CT phantom in
/// the product code is <see cref="PhantomGenerator"/>'s; this just places it.
/// </summary>
public static class GridPhantom
{
    public static Phantom Generate(Int3 shape, Vec3 spacing, long seed, Modality modality = Modality.CT, CancellationToken ct = default)
    {
        if (!shape.AllPositive) throw new ArgumentException($"phantom shape {shape} must be positive");
        if (!spacing.IsFinite || spacing.X <= 0 || spacing.Y <= 0 || spacing.Z <= 0) throw new ArgumentException($"phantom spacing {spacing} must be positive");
        var p = PhantomSampler.Draw(seed, modality, SynthSize.Full);
        var centre = p.Geometry.IndexToPhysical((p.Shape.X - 1) / 2.0, (p.Shape.Y - 1) / 2.0, (p.Shape.Z - 1) / 2.0);
        var half = new Vec3((shape.X - 1) * spacing.X / 2, (shape.Y - 1) * spacing.Y / 2, (shape.Z - 1) * spacing.Z / 2);
        return PhantomGenerator.Generate(p with { Shape = shape, Spacing = spacing, Origin = centre - half }, ct);
    }
}
