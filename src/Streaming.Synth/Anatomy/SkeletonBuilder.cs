using Streaming.Imaging.Volumes;
using Streaming.Synth.Shapes;

namespace Streaming.Synth.Anatomy;

/// <summary>Spine (vertebral bodies with cortex and marrow, discs, posterior arches, canal), ribs and sternum.</summary>
internal static class SkeletonBuilder
{
    private sealed record Level(string Name, double Z, double Height, double Rx, double Ry, bool Thoracic);

    public static void AddSpine(SceneFrame f, List<SceneElement> e)
    {
        var s = f.S;
        var levels = Levels(f);
        // Discs: one continuous column, then vertebral bodies painted over it.
        // Elliptic sections (exponent 2) so that the column can roll with the patient (RolledEllipticPrism).
        var disc = new BodyPrism(levels.Select(l => Section(f, l.Z, l.Rx, l.Ry)).Append(Section(f, f.ZMin, 26 * s, 18 * s)).ToArray(), 2);
        e.Add(new SceneElement(disc, Tissue.Disc, PhantomLabels.Background));
        foreach (var l in levels)
        {
            var c = f.Spine(l.Z);
            var outer = new BodyPrism([Section(f, l.Z - l.Height / 2, l.Rx, l.Ry), Section(f, l.Z + l.Height / 2, l.Rx, l.Ry)], 2);
            var inner = new BodyPrism([Section(f, l.Z - l.Height / 2 + 1.2, l.Rx, l.Ry), Section(f, l.Z + l.Height / 2 - 1.2, l.Rx, l.Ry)], 2, 1.5 * s);
            e.Add(new SceneElement(outer, Tissue.CorticalBone, PhantomLabels.Vertebrae));
            e.Add(new SceneElement(inner, Tissue.Marrow, PhantomLabels.Vertebrae));
            // The arch is as tall as the body in reality; three stacked copies of the thin capsules approximate that.
            foreach (var dz in new[] { -0.28, 0.0, 0.28 })
                foreach (var (a, b, r) in Arch(c with { Z = l.Z + dz * l.Height }, l with { Z = l.Z + dz * l.Height }, s))
                    AddBone(e, a, b, r, PhantomLabels.Vertebrae, s);
        }
        // Sacrum: a broad block below L5.
        var sac = new Ellipsoid(f.Spine(-300 * s) + new Vec3(0, 12 * s, 0), new Vec3(48 * s, 24 * s, 48 * s), SceneFrame.Rotation(0, 25));
        e.Add(new SceneElement(sac, Tissue.CorticalBone, PhantomLabels.Vertebrae));
        e.Add(new SceneElement(sac.Inset(2 * s), Tissue.Marrow, PhantomLabels.Vertebrae));
        // Spinal canal (CSF) along the whole column, after the arches so it stays open.
        var canal = new BodyPrism(levels.Select(l => CanalSection(f, l)).ToArray(), 2);
        e.Add(new SceneElement(canal, Tissue.Csf, PhantomLabels.Background));
    }

    public static void AddRibsAndSternum(SceneFrame f, List<SceneElement> e)
    {
        var s = f.S;
        var inset = RibInset(f);
        foreach (var l in Levels(f).Where(l => l.Thoracic))
        {
            var k = int.Parse(l.Name[1..]);
            var radius = (k <= 2 ? 4.2 : 5.2) * s;
            var endDeg = k switch { 1 => -55, <= 7 => -72, 8 => -45, 9 => -35, 10 => -22, 11 => 0, _ => 22 };
            foreach (var side in new[] { +1, -1 })
            {
                var c = f.Spine(l.Z);
                var pts = new List<Vec3> { new(c.X + side * 28 * s, c.Y + l.Ry + 14 * s, l.Z) };
                const double startDeg = 72;
                for (var deg = startDeg; deg >= endDeg; deg -= (startDeg - endDeg) / 12.0)
                {
                    var z = l.Z - 0.55 * s * (startDeg - deg);
                    var theta = deg * Math.PI / 180;
                    // Right side mirrors the angle about the sagittal plane.
                    var th = side > 0 ? theta : Math.PI - theta;
                    pts.Add(f.Frame.ContourPoint(th, z, inset));
                }
                for (var i = 0; i + 1 < pts.Count; i++) AddBone(e, pts[i], pts[i + 1], radius, PhantomLabels.Ribs, s, fixedToOutline: true);
            }
        }
        // Sternum: a flat bar on the anterior midline of the chest.
        var knots = new List<BodySection>();
        for (var z = 70 * s; z <= 240 * s; z += 20 * s)
        {
            var front = f.Frame.ContourPoint(-Math.PI / 2, z, f.P.MuscleMm * 0.5);
            knots.Add(new BodySection(z, front.X, front.Y + 6 * s, 14 * s, 6 * s, 6 * s));
        }
        var sternum = new BodyPrism(knots, 2.6);
        e.Add(new SceneElement(sternum, Tissue.CorticalBone, PhantomLabels.Background, Fixed: true));
        e.Add(new SceneElement(sternum.WithInset(1.3 * s), Tissue.Marrow, PhantomLabels.Background, Fixed: true));
    }

    /// <summary>Depth of the rib centre line below the muscle frame surface; the lungs start just inside it.</summary>
    public static double RibInset(SceneFrame f) => Math.Max(4 * f.S, f.P.MuscleMm * 0.55);

    private static IEnumerable<(Vec3 A, Vec3 B, double R)> Arch(Vec3 c, Level l, double s)
    {
        var back = c.Y + l.Ry;
        var tipLen = l.Thoracic ? 42 : 36;
        var tipDrop = l.Thoracic ? 20 : 6;
        var transverse = l.Thoracic ? 30 : 40;
        for (var side = -1; side <= 1; side += 2)
        {
            var ped0 = new Vec3(c.X + side * 12 * s, back - 4 * s, l.Z);
            var ped1 = new Vec3(c.X + side * 13 * s, back + 12 * s, l.Z);
            yield return (ped0, ped1, 4.5 * s);
            yield return (ped1, new Vec3(c.X, back + 22 * s, l.Z - 2 * s), 4 * s);
            yield return (ped1, new Vec3(c.X + side * transverse * s, back + (l.Thoracic ? 20 : 8) * s, l.Z), 4.2 * s);
        }
        yield return (new Vec3(c.X, back + 22 * s, l.Z - 2 * s), new Vec3(c.X, back + tipLen * s, l.Z - tipDrop * s), (l.Thoracic ? 4.2 : 5.5) * s);
    }

    private static void AddBone(List<SceneElement> e, Vec3 a, Vec3 b, double r, byte label, double s, bool fixedToOutline = false)
    {
        e.Add(new SceneElement(new Capsule(a, b, r), Tissue.CorticalBone, label, Fixed: fixedToOutline));
        var inner = r - 1.4 * s;
        if (inner > 0.8) e.Add(new SceneElement(new Capsule(a, b, inner), Tissue.Marrow, label, Fixed: fixedToOutline));
    }

    private static BodySection Section(SceneFrame f, double z, double rx, double ry)
    {
        var c = f.Spine(z);
        return new BodySection(z, c.X, c.Y, rx, ry, ry * 0.9);
    }

    private static BodySection CanalSection(SceneFrame f, Level l)
    {
        var c = f.Spine(l.Z);
        return new BodySection(l.Z, c.X, c.Y + l.Ry + 10 * f.S, 10 * f.S, 7.5 * f.S, 7.5 * f.S);
    }

    /// <summary>C6 to L5, from the top down; T1's upper plate at +265 mm (scaled), the diaphragm dome near T10.</summary>
    private static List<Level> Levels(SceneFrame f)
    {
        var s = f.S;
        var list = new List<Level>();
        var top = 300 * s;
        for (var k = 6; k <= 7; k++) { list.Add(new Level($"C{k}", top - 7 * s, 14 * s, 13 * s, 11 * s, false)); top -= 19 * s; }
        top = 265 * s;
        for (var k = 1; k <= 12; k++)
        {
            var h = (17 + (k - 1) * 0.8) * s;
            list.Add(new Level($"T{k}", top - h / 2, h, (15 + 0.45 * k) * s, (13 + 0.35 * k) * s, true));
            top -= h + 6 * s;
        }
        for (var k = 1; k <= 5; k++)
        {
            var h = (27 + 0.4 * k) * s;
            list.Add(new Level($"L{k}", top - h / 2, h, (23 + 0.6 * k) * s, (17 + 0.2 * k) * s, false));
            top -= h + 9 * s;
        }
        return list;
    }
}
