using Streaming.Imaging.Volumes;
using Streaming.Synth.Shapes;

namespace Streaming.Synth.Anatomy;

/// <summary>Thoracic and abdominal organs, vessels and bowel, placed relative to the patient frame.</summary>
internal static class OrganBuilder
{
    private static readonly ulong LungOnly = SceneElement.Mask(Tissue.Lung);
    private static readonly ulong BowelSpace = SceneElement.Mask(Tissue.VisceralFat, Tissue.BowelWall, Tissue.BowelContent, Tissue.BowelGas);
    private const byte Keep = SceneElement.KeepLabel;

    public static void AddBowel(SceneFrame f, SynthRandom r, List<SceneElement> e)
    {
        var s = f.S;
        // Colon frame: ascending, transverse (anterior), descending; content alternates stool and gas pockets.
        Vec3[] colon =
        [
            f.At(-100, 5, -275), f.At(-104, 0, -200), f.At(-98, -5, -145), f.At(-70, -40, -128), f.At(-20, -68, -140),
            f.At(30, -65, -132), f.At(80, -30, -110), f.At(100, 5, -135), f.At(104, 8, -200), f.At(96, 0, -275),
        ];
        var radius = r.Uniform(20, 27) * s;
        for (var i = 0; i + 1 < colon.Length; i++)
        {
            var seg = new Capsule(colon[i], colon[i + 1], radius);
            e.Add(new SceneElement(seg, Tissue.BowelWall, PhantomLabels.Bowel, BowelSpace));
            var content = r.Chance(0.45) ? Tissue.BowelGas : Tissue.BowelContent;
            e.Add(new SceneElement(new Capsule(colon[i], colon[i + 1], radius - 3 * s), content, PhantomLabels.Bowel, BowelSpace));
        }
        // Small-bowel loops: tori with random orientation in the central abdomen.
        for (var k = 0; k < f.P.BowelLoops; k++)
        {
            // Mostly in front of the spine and between the colon limbs, packed as in a real abdomen.
            var c = f.At(r.Uniform(-80, 80), r.Uniform(-80, 10), r.Uniform(-270, -120));
            var n = new Vec3(r.Normal(), r.Normal(), r.Normal());
            var ring = r.Uniform(14, 26) * s; var tube = r.Uniform(9, 14) * s;
            var u = r.NextDouble();
            var content = u < 0.2 ? Tissue.BowelGas : Tissue.BowelContent;
            foreach (var cap in TubeBuilder.Ring(c, n, ring, tube))
                e.Add(new SceneElement(cap, Tissue.BowelWall, PhantomLabels.Bowel, BowelSpace));
            foreach (var cap in TubeBuilder.Ring(c, n, ring, tube - 2.5 * s))
                e.Add(new SceneElement(cap, content, PhantomLabels.Bowel, BowelSpace));
        }
    }

    public static void AddBackMuscles(SceneFrame f, List<SceneElement> e)
    {
        var s = f.S;
        foreach (var side in new[] { -1, 1 })
        {
            var knots = new List<BodySection>();
            for (var z = f.ZMin; z <= f.ZMax; z += 40 * s)
            {
                var c = f.Spine(z);
                var lumbar = z < -100 * s;
                // The two erector spinae meet at the midline behind the arches (the spinous processes are painted over them).
                knots.Add(new BodySection(z, c.X + side * (lumbar ? 36 : 32) * s, c.Y + (lumbar ? 52 : 48) * s, (lumbar ? 37 : 31) * s, 24 * s, (lumbar ? 24 : 20) * s));
            }
            e.Add(new SceneElement(new BodyPrism(knots, 2), Tissue.Muscle, PhantomLabels.Muscle));
            // Psoas: grows from L1 down to the pelvis, lateral to the vertebral bodies.
            var pts = new[] { -80.0, -140, -200, -260, -330 }.Select(z => f.Spine(z * s) + new Vec3(side * (24 + (-80 - z) * 0.12) * s, 2 * s, 0)).ToArray();
            foreach (var cap in TubeBuilder.Polyline(pts, [7 * s, 13 * s, 19 * s, 23 * s, 25 * s]))
                e.Add(new SceneElement(cap, Tissue.Muscle, PhantomLabels.Muscle));
        }
    }

    public static void AddLungsAndAirways(SceneFrame f, SynthRandom r, List<SceneElement> e)
    {
        var s = f.S;
        var cavity = f.Frame.WithInset(SkeletonBuilder.RibInset(f) + 6.5 * s);
        foreach (var (side, label) in new[] { (-1, PhantomLabels.LungRight), (1, PhantomLabels.LungLeft) })
        {
            var blob = new Ellipsoid(f.At(side * 88, 8, 105), f.Radii(88, 112, 178));
            e.Add(new SceneElement(new Intersection(cavity, blob), Tissue.Lung, label));
        }
        // Diaphragm domes cut the lung bases (the right one higher, above the liver).
        // The right dome follows the liver's position (it sits on the liver).
        var domeShift = new OrganJitter(f.P.Liver.Offset, 1, 0);
        e.Add(new SceneElement(new Ellipsoid(f.At(-65, -15, -95, domeShift), f.Radii(105, 130, 125)), Tissue.SoftTissue, PhantomLabels.Background, LungOnly));
        e.Add(new SceneElement(new Ellipsoid(f.At(65, -15, -108), f.Radii(105, 130, 120)), Tissue.SoftTissue, PhantomLabels.Background, LungOnly));

        // Pulmonary vessels: trees from each hilum, clipped to the lung.
        foreach (var side in new[] { -1, 1 })
        {
            var hilum = f.At(side * 45, 8, 95);
            Vec3[] dirs = [new(side * 0.3, -0.2, 1), new(side * 1, 0.1, -0.1), new(side * 0.4, 0.5, -1), new(side * 0.5, -0.7, -0.3)];
            foreach (var d in dirs)
                foreach (var cap in TubeBuilder.Tree(r, hilum, d, 6.5 * s, 42 * s, 5, 0.7))
                    e.Add(new SceneElement(cap, Tissue.LungVessel, Keep, LungOnly));
        }
        // Airways: trachea and main bronchi (mediastinum), then bronchial trees inside the lungs.
        var carina = f.At(-2, 8, 135);
        e.Add(new SceneElement(new Capsule(f.At(-2, -12, 345), carina, 9 * s), Tissue.Airway, Keep));
        foreach (var side in new[] { -1, 1 })
        {
            var bronchus = f.At(side * 42, 14, 112);
            e.Add(new SceneElement(new Capsule(carina, bronchus, 6.5 * s), Tissue.Airway, Keep));
            foreach (var d in new Vec3[] { new(side * 0.4, -0.3, 1), new(side * 0.6, 0.2, -1), new(side, -0.4, -0.2) })
                foreach (var cap in TubeBuilder.Tree(r, bronchus, d, 4.5 * s, 38 * s, 4, 0.9))
                    e.Add(new SceneElement(cap, Tissue.Airway, Keep, LungOnly));
        }
    }

    public static void AddHeart(SceneFrame f, List<SceneElement> e)
    {
        var j = f.P.Heart;
        var rot = SceneFrame.Rotation(35 + j.YawDegrees, -15);
        var c = f.At(22, -30, 52, j);
        var wall = new Ellipsoid(c, f.Radii(62, 48, 56, j), rot);
        e.Add(new SceneElement(wall, Tissue.Myocardium, PhantomLabels.Heart));
        var inside = SceneElement.Mask(Tissue.Myocardium);
        e.Add(new SceneElement(new Ellipsoid(c + rot * (f.Radii(14, -4, -6, j)), f.Radii(27, 25, 32, j), rot), Tissue.HeartBlood, PhantomLabels.Heart, inside));
        e.Add(new SceneElement(new Ellipsoid(c + rot * (f.Radii(-22, -6, 8, j)), f.Radii(28, 26, 34, j), rot), Tissue.HeartBlood, PhantomLabels.Heart, inside));
    }

    /// <summary>Adds the liver and returns its right lobe (lesion host).</summary>
    public static Ellipsoid AddLiver(SceneFrame f, SynthRandom r, List<SceneElement> e)
    {
        var j = f.P.Liver;
        var cavity = f.Cavity;
        var right = new Ellipsoid(f.At(-62, 8, -55, j), f.Radii(88, 95, 88, j), SceneFrame.Rotation(10 + j.YawDegrees));
        var left = new Ellipsoid(f.At(12, -48, -45, j), f.Radii(78, 38, 48, j), SceneFrame.Rotation(-15 + j.YawDegrees, 0, 8));
        var caudate = new Ellipsoid(f.At(-12, 18, -62, j), f.Radii(24, 24, 38, j));
        foreach (var lobe in new[] { right, left, caudate })
            e.Add(new SceneElement(new Intersection(cavity, lobe), Tissue.Liver, PhantomLabels.Liver));
        // Portal and hepatic venous trees from the hilum.
        var hilum = f.At(-28, 0, -78, j);
        foreach (var d in new Vec3[] { new(-1, 0.2, 0.5), new(-0.6, 0.6, -0.3), new(1, -0.8, 0.4), new(-0.3, -0.5, 0.9) })
            foreach (var cap in TubeBuilder.Tree(r, hilum, d, 5.5 * f.S, 35 * f.S, 4, 0.8))
                e.Add(new SceneElement(cap, Tissue.HepaticVessel, Keep, SceneElement.Mask(Tissue.Liver)));
        return right;
    }

    public static void AddGallbladder(SceneFrame f, List<SceneElement> e)
    {
        var j = f.P.Gallbladder;
        var gb = new Ellipsoid(f.At(-52, -55, -108, j), f.Radii(17, 17, 38, j), SceneFrame.Rotation(j.YawDegrees, 35));
        e.Add(new SceneElement(gb, Tissue.SoftTissue, PhantomLabels.Gallbladder)); // thin wall, then bile
        e.Add(new SceneElement(gb.Inset(2 * f.S), Tissue.Bile, PhantomLabels.Gallbladder));
    }

    public static Ellipsoid AddSpleen(SceneFrame f, List<SceneElement> e)
    {
        var j = f.P.Spleen;
        var spleen = new Ellipsoid(f.At(98, 50, -42, j), f.Radii(30, 58, 52, j), SceneFrame.Rotation(-35 + j.YawDegrees));
        e.Add(new SceneElement(new Intersection(f.Cavity, spleen), Tissue.Spleen, PhantomLabels.Spleen));
        return spleen;
    }

    public static void AddStomach(SceneFrame f, List<SceneElement> e)
    {
        var j = f.P.Stomach;
        var s = f.S;
        IShape[] parts =
        [
            new Ellipsoid(f.At(55, 8, -30, j), f.Radii(38, 38, 40, j)),
            new Ellipsoid(f.At(40, -40, -80, j), f.Radii(38, 28, 50, j), SceneFrame.Rotation(30 + j.YawDegrees)),
            new Capsule(f.At(25, -55, -112, j), f.At(-22, -48, -108, j), 19 * s * j.Scale),
        ];
        IShape Lumen(IShape p) => p switch
        {
            Ellipsoid el => el.Inset(4 * s),
            Capsule c => new Capsule(c.A, c.B, c.Radius - 4 * s),
            _ => p,
        };
        foreach (var p in parts) e.Add(new SceneElement(new Intersection(f.Cavity, p), Tissue.StomachWall, PhantomLabels.Stomach));
        foreach (var p in parts) e.Add(new SceneElement(Lumen(p), Tissue.StomachFluid, PhantomLabels.Stomach));
        if (f.P.StomachAirFraction > 0)
        {
            // Supine: gas rises anteriorly (smaller y), so the level is a coronal plane.
            var front = f.At(0, -78, 0, j).Y; var back = f.At(0, 40, 0, j).Y;
            var level = front + (back - front) * f.P.StomachAirFraction;
            var air = new Box(new Vec3(-1e4, -1e4, -1e4), new Vec3(1e4, level, 1e4));
            foreach (var p in parts) e.Add(new SceneElement(new Intersection(Lumen(p), air), Tissue.StomachAir, PhantomLabels.Stomach));
        }
    }

    public static void AddPancreas(SceneFrame f, List<SceneElement> e)
    {
        var j = f.P.Pancreas;
        var pts = new[] { f.At(-34, -20, -114, j), f.At(-6, -40, -100, j), f.At(34, -30, -90, j), f.At(72, 18, -72, j) };
        foreach (var cap in TubeBuilder.Polyline(pts, [17 * f.S * j.Scale, 12 * f.S * j.Scale, 12 * f.S * j.Scale, 9 * f.S * j.Scale]))
            e.Add(new SceneElement(cap, Tissue.Pancreas, PhantomLabels.Pancreas));
    }

    /// <summary>Adds both kidneys; returns (left, right) cortex ellipsoids.</summary>
    public static (Ellipsoid Left, Ellipsoid Right) AddKidneys(SceneFrame f, List<SceneElement> e)
    {
        Ellipsoid One(int side, OrganJitter j, byte label, double z)
        {
            // Long axis tilted: upper pole medial and posterior; hilum faces antero-medially.
            var rot = SceneFrame.Rotation(side * (25 + j.YawDegrees), side * 0, side * -12);
            var spine = f.Spine(z * f.S);
            var c = new Vec3(spine.X + side * 72 * f.S * f.P.WidthFactor + j.Offset.X, spine.Y + 18 * f.S + j.Offset.Y, z * f.S + j.Offset.Z);
            var k = new Ellipsoid(c, f.Radii(26, 22, 52, j), rot);
            e.Add(new SceneElement(k, Tissue.KidneyCortex, label));
            var inside = SceneElement.Mask(Tissue.KidneyCortex);
            foreach (var dz in new[] { -0.5, 0.0, 0.5 })
                e.Add(new SceneElement(new Ellipsoid(c + rot * new Vec3(side * -0.1 * k.Radii.X, 0, dz * k.Radii.Z), new Vec3(k.Radii.X * 0.42, k.Radii.Y * 0.45, k.Radii.Z * 0.22), rot),
                    Tissue.KidneyMedulla, label, inside));
            e.Add(new SceneElement(new Ellipsoid(c + rot * new Vec3(-side * 0.55 * k.Radii.X, -0.1 * k.Radii.Y, 0), new Vec3(k.Radii.X * 0.35, k.Radii.Y * 0.4, k.Radii.Z * 0.4), rot),
                Tissue.RenalSinus, label, SceneElement.Mask(Tissue.KidneyCortex, Tissue.KidneyMedulla)));
            return k;
        }
        return (One(1, f.P.KidneyLeft, PhantomLabels.KidneyLeft, -110), One(-1, f.P.KidneyRight, PhantomLabels.KidneyRight, -125));
    }

    public static void AddGreatVessels(SceneFrame f, List<SceneElement> e)
    {
        var s = f.S;
        // Aorta: root at the heart, ascending, arch to the left of the trachea, descending left-anterior of the spine.
        var pts = new List<Vec3> { f.At(4, -28, 80), f.At(4, -36, 130), f.At(14, -22, 162), f.At(26, 8, 160) };
        var radii = new List<double> { 15 * s, 15 * s, 14 * s, 13 * s };
        for (var z = 130.0; z >= -230; z -= 30)
        {
            var c = f.Spine(z * s);
            var t = Math.Clamp((z + 60) / 120, 0, 1); // 1 in the thorax
            pts.Add(new Vec3(c.X + (14 + 10 * t) * s, c.Y - (30 - 2 * t) * s, z * s));
            radii.Add((10 + 2.5 * t) * s);
        }
        foreach (var cap in TubeBuilder.Polyline(pts, radii)) e.Add(new SceneElement(cap, Tissue.Aorta, PhantomLabels.Aorta));
        var bif = pts[^1];
        foreach (var side in new[] { -1, 1 })
        {
            var c = f.Spine(-340 * s);
            e.Add(new SceneElement(new Capsule(bif, new Vec3(c.X + side * 55 * s, c.Y - 22 * s, -345 * s), 6.5 * s), Tissue.Aorta, PhantomLabels.Aorta));
        }
        // IVC: right of the spine, through the back of the liver into the right atrium.
        var ivc = new List<Vec3>();
        for (var z = -240.0; z <= -30; z += 35) { var c = f.Spine(z * s); ivc.Add(new Vec3(c.X - 24 * s, c.Y - 28 * s, z * s)); }
        ivc.Add(f.At(-26, 5, 10)); ivc.Add(f.At(-22, -18, 38));
        foreach (var cap in TubeBuilder.Polyline(ivc, 11 * s)) e.Add(new SceneElement(cap, Tissue.Ivc, PhantomLabels.Ivc));
        foreach (var side in new[] { -1, 1 })
        {
            var c = f.Spine(-340 * s);
            e.Add(new SceneElement(new Capsule(ivc[0], new Vec3(c.X + side * 45 * s, c.Y - 12 * s, -345 * s), 7.5 * s), Tissue.Ivc, PhantomLabels.Ivc));
        }
    }

    public static void AddLesion(SceneFrame f, LesionParameters l, Ellipsoid host, List<SceneElement> e)
    {
        var centre = host.Center + host.Rotation * new Vec3(l.RelativePosition.X * host.Radii.X, l.RelativePosition.Y * host.Radii.Y, l.RelativePosition.Z * host.Radii.Z);
        var shape = new Ellipsoid(centre, new Vec3(l.RadiusMm, l.RadiusMm * 0.9, l.RadiusMm * 1.1), SceneFrame.Rotation(20));
        var into = l.HostLabel switch
        {
            PhantomLabels.Liver => SceneElement.Mask(Tissue.Liver, Tissue.HepaticVessel),
            PhantomLabels.Spleen => SceneElement.Mask(Tissue.Spleen),
            _ => SceneElement.Mask(Tissue.KidneyCortex, Tissue.KidneyMedulla, Tissue.RenalSinus),
        };
        e.Add(new SceneElement(shape, Tissue.LesionTissue, PhantomLabels.Lesion, into));
    }
}
