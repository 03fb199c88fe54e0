using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;
using Streaming.Synth.Shapes;

namespace Streaming.Synth.Tests;

/// <summary>Row spans of the analytic solids against hand-computed intersections.</summary>
public class ShapeTests
{
    [Fact]
    public void EllipsoidSpan()
    {
        var e = new Ellipsoid(new Vec3(10, 0, 0), new Vec3(4, 2, 1));
        // y = 1: x = 10 ± 4·sqrt(1 - 1/4) = 10 ± 3.4641.
        Assert.True(e.Span(1, 0, out var x0, out var x1));
        Assert.Equal(10 - 3.4641016, x0, 1e-6);
        Assert.Equal(10 + 3.4641016, x1, 1e-6);
        Assert.False(e.Span(2.01, 0, out _, out _));
        // Rotated 90° about z: the long axis now lies along y.
        var r = new Ellipsoid(new Vec3(0, 0, 0), new Vec3(4, 2, 1), SceneFrame.Rotation(90));
        Assert.True(r.Span(0, 0, out x0, out x1));
        Assert.Equal(-2, x0, 1e-9); Assert.Equal(2, x1, 1e-9);
        Assert.Equal(4, r.Max.Y, 1e-9);
    }

    [Fact]
    public void CapsuleSpanCoversCylinderAndCaps()
    {
        var c = new Capsule(new Vec3(0, 0, 0), new Vec3(10, 0, 0), 2);
        // Along its axis: from the far side of one cap to the other.
        Assert.True(c.Span(0, 0, out var x0, out var x1));
        Assert.Equal(-2, x0, 1e-9); Assert.Equal(12, x1, 1e-9);
        // Off axis by 1 mm: caps contribute ±sqrt(3).
        Assert.True(c.Span(1, 0, out x0, out x1));
        Assert.Equal(-Math.Sqrt(3), x0, 1e-9); Assert.Equal(10 + Math.Sqrt(3), x1, 1e-9);
        // A vertical capsule seen by a horizontal row: a circle of radius 2 at mid height.
        var v = new Capsule(new Vec3(5, 5, 0), new Vec3(5, 5, 10), 2);
        Assert.True(v.Span(6, 5, out x0, out x1));
        Assert.Equal(5 - Math.Sqrt(3), x0, 1e-9); Assert.Equal(5 + Math.Sqrt(3), x1, 1e-9);
        Assert.False(v.Span(5, 12.5, out _, out _));
    }

    [Fact]
    public void BodyPrismInterpolatesSectionsAndInsets()
    {
        var p = new BodyPrism([new BodySection(0, 0, 0, 10, 5, 5), new BodySection(10, 0, 0, 20, 5, 5)], 2);
        // z = 5: half width 15; on the centre row the span is ±15, inset 3 gives ±12.
        Assert.True(p.Span(0, 5, out var x0, out var x1));
        Assert.Equal(-15, x0, 1e-9); Assert.Equal(15, x1, 1e-9);
        Assert.True(p.WithInset(3).Span(0, 5, out x0, out x1));
        Assert.Equal(-12, x0, 1e-9);
        Assert.False(p.Span(0, 10.5, out _, out _));
    }

    [Fact]
    public void RolledEllipticPrismTurnsTheSection()
    {
        var p = new BodyPrism([new BodySection(-1, 0, 0, 20, 10, 10), new BodySection(1, 0, 0, 20, 10, 10)], 2);
        var r = ShapeRoll.Apply(p, 90, new Vec3(0, 0, 0));
        // After 90°: x²/10² + y²/20² <= 1. At y = 15, x = ±10·sqrt(1 - 0.5625) = ±6.6144.
        Assert.True(r.Span(15, 0, out var x0, out var x1));
        Assert.Equal(-6.6143783, x0, 1e-6); Assert.Equal(6.6143783, x1, 1e-6);
        Assert.True(r.Span(0, 0, out x0, out x1));
        Assert.Equal(-10, x0, 1e-9); Assert.Equal(10, x1, 1e-9);
        // Unequal halves: anterior 5, posterior 10, rolled 90° → the anterior half points to +x.
        var q = new BodyPrism([new BodySection(-1, 0, 0, 20, 5, 10), new BodySection(1, 0, 0, 20, 5, 10)], 2);
        Assert.True(ShapeRoll.Apply(q, 90, new Vec3(0, 0, 0)).Span(0, 0, out x0, out x1));
        Assert.Equal(-10, x0, 1e-9); Assert.Equal(5, x1, 1e-9);
        // Outline prisms stay on the table; elliptic ones only can roll.
        var outline = new BodyPrism([new BodySection(-1, 0, 0, 20, 5, 10), new BodySection(1, 0, 0, 20, 5, 10)], 2.2, 0, 3.2, outline: true);
        Assert.Same(outline, ShapeRoll.Apply(outline, 5, new Vec3(0, 0, 0)));
        Assert.Throws<ArgumentException>(() => ShapeRoll.Apply(new BodyPrism(outline.Knots, 2.4), 5, new Vec3(0, 0, 0)));
    }

    [Fact]
    public void PatientRollTurnsTheOrgansByItsAngle()
    {
        var p = PhantomSampler.Draw(4, Modality.CT, SynthSize.Small, FieldOfView.Abdomen) with { PatientRollDegrees = 0 };
        double Angle(Phantom ph)
        {
            var l = Pictures.PhantomPicture.Centroid(ph.Labels, PhantomLabels.KidneyLeft);
            var r = Pictures.PhantomPicture.Centroid(ph.Labels, PhantomLabels.KidneyRight);
            return Math.Atan2(l.Y - r.Y, l.X - r.X) * 180 / Math.PI;
        }
        var straight = Angle(PhantomGenerator.Generate(p));
        var rolled = Angle(PhantomGenerator.Generate(p with { PatientRollDegrees = 8 }));
        Assert.InRange(rolled - straight, 6, 10);
    }
}
