using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Render;

/// <summary>Nominal intensities of one tissue: CT without/with contrast (HU), texture strength (HU), T1/T2 signal (0..1).</summary>
internal readonly record struct TissueValues(double PlainHu, double ContrastHu, double TextureHu, double T1, double T2);

/// <summary>Per-case intensity table: nominal values jittered by the case's detail seed.</summary>
internal static class TissueTable
{
    private static readonly Dictionary<Tissue, TissueValues> Nominal = new()
    {
        [Tissue.Air] = new(-1000, -1000, 3, 0, 0),
        [Tissue.Skin] = new(30, 45, 8, 0.40, 0.30),
        [Tissue.Fat] = new(-105, -105, 10, 0.90, 0.75),
        [Tissue.VisceralFat] = new(-98, -96, 14, 0.85, 0.70),
        [Tissue.Muscle] = new(48, 60, 8, 0.35, 0.20),
        [Tissue.Lung] = new(-865, -855, 30, 0.03, 0.03),
        [Tissue.LungVessel] = new(40, 170, 8, 0.08, 0.05),
        [Tissue.Airway] = new(-995, -995, 3, 0, 0),
        [Tissue.Liver] = new(58, 110, 6, 0.55, 0.25),
        [Tissue.HepaticVessel] = new(38, 165, 6, 0.15, 0.30),
        [Tissue.Spleen] = new(47, 122, 5, 0.40, 0.55),
        [Tissue.KidneyCortex] = new(33, 185, 6, 0.50, 0.55),
        [Tissue.KidneyMedulla] = new(28, 125, 6, 0.35, 0.70),
        [Tissue.RenalSinus] = new(-55, -45, 20, 0.80, 0.65),
        [Tissue.StomachWall] = new(42, 95, 6, 0.40, 0.35),
        [Tissue.StomachFluid] = new(12, 14, 5, 0.15, 0.95),
        [Tissue.StomachAir] = new(-1000, -1000, 3, 0, 0),
        [Tissue.Pancreas] = new(42, 100, 14, 0.55, 0.35),
        [Tissue.Bile] = new(10, 12, 3, 0.15, 1.00),
        [Tissue.BowelWall] = new(40, 95, 6, 0.35, 0.40),
        [Tissue.BowelContent] = new(15, 18, 45, 0.30, 0.60),
        [Tissue.BowelGas] = new(-995, -995, 3, 0, 0),
        [Tissue.Aorta] = new(42, 235, 6, 0.08, 0.06),
        [Tissue.Ivc] = new(40, 160, 6, 0.12, 0.10),
        [Tissue.Myocardium] = new(45, 110, 6, 0.35, 0.25),
        [Tissue.HeartBlood] = new(42, 190, 5, 0.10, 0.10),
        [Tissue.CorticalBone] = new(950, 950, 70, 0.05, 0.05),
        [Tissue.Marrow] = new(240, 250, 45, 0.65, 0.45),
        [Tissue.Disc] = new(85, 90, 8, 0.30, 0.60),
        [Tissue.Csf] = new(8, 8, 4, 0.10, 1.00),
        [Tissue.LesionTissue] = new(28, 55, 8, 0.30, 0.85),
        [Tissue.TableShell] = new(250, 250, 20, 0, 0),
        [Tissue.TableFoam] = new(-940, -940, 8, 0, 0),
        [Tissue.SoftTissue] = new(40, 60, 8, 0.35, 0.35),
    };

    public static int Count { get; } = Enum.GetValues<Tissue>().Length;

    /// <summary>Base value and texture amplitude per tissue id for one case (CT in HU, MRI in relative signal).</summary>
    public static (float[] Base, float[] Texture) ForCase(PhantomParameters p)
    {
        var r = new SynthRandom(p.DetailSeed, 0x7155);
        var b = new float[256];
        var tex = new float[256];
        foreach (var (t, v) in Nominal)
        {
            double baseValue, texture;
            if (p.Modality == Imaging.Volumes.Modality.CT)
            {
                var plain = v.PlainHu;
                var contrast = v.ContrastHu;
                if (t == Tissue.LesionTissue && p.Lesion is { } l) { plain = l.PlainHu; contrast = l.ContrastHu; }
                var hu = p.Contrast ? plain + (contrast - plain) * p.EnhancementFactor : plain;
                // Soft tissues vary a few HU between patients; air and bone less so relative to their range.
                baseValue = hu + (Math.Abs(hu) < 300 ? r.Clipped(0, 4) : 0);
                texture = v.TextureHu;
            }
            else
            {
                var s = p.Sequence == MrSequence.T1 ? v.T1 : v.T2;
                if (t == Tissue.LesionTissue && p.Sequence == MrSequence.T1 && p.Lesion is { PlainHu: > 50 }) s = 0.45;
                baseValue = Math.Max(0, s * (1 + r.Clipped(0, 0.05)));
                // Relative texture: a few percent of the signal, more for heterogeneous tissues.
                texture = baseValue * Math.Min(0.15, v.TextureHu / 250.0 + 0.02);
            }
            b[(int)t] = (float)baseValue;
            tex[(int)t] = (float)texture;
        }
        return (b, tex);
    }
}
