using Streaming.Imaging.Volumes;
using Streaming.Synth.Shapes;

namespace Streaming.Synth.Anatomy;

/// <summary>
/// Turns <see cref="PhantomParameters"/> into an ordered list of solids. Pure: the fine structures (vessel trees,
/// bowel loops) come from a generator seeded by <see cref="PhantomParameters.DetailSeed"/>.
/// </summary>
public static class SceneBuilder
{
    public static PhantomScene Build(PhantomParameters p)
    {
        var f = new SceneFrame(p);
        var r = new SynthRandom(p.DetailSeed, 0xA7A7);
        var e = new List<SceneElement>(2048);

        // Trunk layers, outside in: skin, subcutaneous fat, muscle wall, visceral fat filling the cavity.
        e.Add(new SceneElement(f.Body, Tissue.Skin, PhantomLabels.Background));
        e.Add(new SceneElement(f.SubcutaneousFat, Tissue.Fat, PhantomLabels.SubcutaneousFat));
        e.Add(new SceneElement(f.Frame, Tissue.Muscle, PhantomLabels.Muscle));
        e.Add(new SceneElement(f.Cavity, Tissue.VisceralFat, PhantomLabels.Background));

        OrganBuilder.AddBowel(f, r, e);
        OrganBuilder.AddLungsAndAirways(f, r, e);
        OrganBuilder.AddHeart(f, e);
        var liver = OrganBuilder.AddLiver(f, r, e);
        OrganBuilder.AddGallbladder(f, e);
        var spleen = OrganBuilder.AddSpleen(f, e);
        OrganBuilder.AddStomach(f, e);
        OrganBuilder.AddPancreas(f, e);
        var (kl, kr) = OrganBuilder.AddKidneys(f, e);
        OrganBuilder.AddGreatVessels(f, e);
        // The posterior wall (paraspinal muscles, psoas) after the organs: it bounds the liver, spleen and lungs behind.
        OrganBuilder.AddBackMuscles(f, e);
        SkeletonBuilder.AddSpine(f, e);
        SkeletonBuilder.AddRibsAndSternum(f, e);
        if (p.Lesion is { } l)
        {
            var host = l.HostLabel switch
            {
                PhantomLabels.Liver => liver,
                PhantomLabels.Spleen => spleen,
                PhantomLabels.KidneyLeft => kl,
                _ => kr,
            };
            OrganBuilder.AddLesion(f, l, host, e);
        }
        if (p.PatientRollDegrees != 0)
        {
            // Roll about the body axis through the centre of the trunk at the diaphragm.
            var c = f.Frame.At(0);
            var pivot = new Vec3(c.CenterX, c.CenterY, 0);
            for (var i = 0; i < e.Count; i++)
                if (!e[i].Fixed) e[i] = e[i] with { Shape = ShapeRoll.Apply(e[i].Shape, p.PatientRollDegrees, pivot) };
        }
        if (p.Modality == Modality.CT) AddTable(f, e);
        return new PhantomScene(e);
    }

    /// <summary>The scanner table under the patient: a 5 mm carbon-fibre top plate (thick enough to show at 3 mm voxels) over a foam core (CT only: invisible in MRI).</summary>
    private static void AddTable(SceneFrame f, List<SceneElement> e)
    {
        var top = f.Body.Max.Y + 1.5; // the most posterior skin point rests on the table
        const double x = 0;            // the table is fixed in the scanner; the patient may lie off-centre
        var shell = new Box(new Vec3(x - 225, top, f.ZMin - 50), new Vec3(x + 225, top + 42, f.ZMax + 50));
        var foam = new Box(new Vec3(x - 220, top + 5, f.ZMin - 50), new Vec3(x + 220, top + 38, f.ZMax + 50));
        e.Add(new SceneElement(shell, Tissue.TableShell, PhantomLabels.Background));
        e.Add(new SceneElement(foam, Tissue.TableFoam, PhantomLabels.Background));
    }
}
