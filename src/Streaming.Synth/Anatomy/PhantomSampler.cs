using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Anatomy;

/// <summary>
/// The only random step: draws a <see cref="PhantomParameters"/> from a seed. Same seed, same arguments → same record.
/// </summary>
public static class PhantomSampler
{
    private static readonly double[] FullCtSliceSpacings = [0.625, 0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 5.0];
    private static readonly double[] MediumSliceSpacings = [1.5, 2.0, 2.5, 3.0, 5.0];
    private static readonly double[] FullMrSliceSpacings = [2.5, 3.0, 4.0, 5.0];

    /// <summary>
    /// Draws one phantom. With <paramref name="fixedFieldOfView"/> the scan covers exactly the nominal z range of its
    /// field of view (abdomen when none is given) in the patient's own anatomy, so slice k of N shows the same anatomy
    /// in every patient (SAL's relative slice position); the other draws of the seed are unchanged.
    /// </summary>
    public static PhantomParameters Draw(long seed, Modality modality, SynthSize size, FieldOfView? fieldOfView = null, bool fixedFieldOfView = false)
    {
        var r = new SynthRandom(seed, 0x5EED);
        // The grid has its own stream so that one seed gives the same patient at every size preset.
        var rg = new SynthRandom(seed, 0x6121D);
        var fov = fieldOfView ?? (fixedFieldOfView ? FieldOfView.Abdomen : DrawFov(rg, modality));
        var s = r.Uniform(0.88, 1.12);
        var width = r.Uniform(0.9, 1.1);
        var depth = r.Uniform(0.88, 1.12);
        var fat = r.Uniform(8, 45);
        var muscle = r.Uniform(8, 16);
        var offset = new Vec3(r.Clipped(0, 8), r.Clipped(0, 8), 0);

        var (top, bottom) = fov switch
        {
            FieldOfView.Abdomen => (rg.Uniform(20, 60), rg.Uniform(-280, -240)),
            FieldOfView.Thorax => (rg.Uniform(265, 300), rg.Uniform(-40, -15)),
            _ => (rg.Uniform(265, 300), rg.Uniform(-280, -240)),
        };
        if (fixedFieldOfView) (top, bottom) = NominalRange(fov);
        top *= s; bottom *= s;
        var extent = top - bottom;

        // In-plane: the reconstructed field of view fits the body plus a margin, as a technologist would set it.
        var bodyWidth = 2 * (150 * s * width + fat + 2);
        var fovMm = bodyWidth + rg.Uniform(15, 90);
        int n; double lo, hi;
        (n, lo, hi) = (size, modality) switch
        {
            (SynthSize.Small, _) => (rg.Pick([96, 112, 128]), 2.6, 4.6),
            (SynthSize.Medium, _) => (rg.Pick([192, 224, 256]), 1.2, 2.4),
            (SynthSize.Full, Modality.MR) => (rg.Pick([384, 448, 512]), 0.7, 1.4),
            _ => (512, 0.6, 0.98),
        };
        var sx = F(Math.Clamp(fovMm / n, lo, hi));

        double dz; int nz;
        switch (size)
        {
            case SynthSize.Small when fixedFieldOfView:
                // The whole range, first and last slice on its ends (~3-5 mm slices, at most 128).
                dz = rg.Uniform(3, 5);
                nz = Math.Clamp((int)Math.Round(extent / dz) + 1, 32, 128);
                dz = F(extent / (nz - 1));
                break;
            case SynthSize.Small:
                // ~3-5 mm slices; a field longer than 64 slices is cropped about its centre (small volumes for tests).
                dz = F(rg.Uniform(3, 5));
                nz = (int)Math.Round(extent / dz);
                if (nz > 64) { nz = 64; top = (top + bottom) / 2 + (nz - 1) * dz / 2; }
                if (nz < 32) { nz = 32; dz = F(extent / nz); }
                break;
            case SynthSize.Medium when fixedFieldOfView:
                dz = rg.Pick(MediumSliceSpacings);
                nz = Math.Clamp((int)Math.Round(extent / dz) + 1, 48, 320);
                dz = F(extent / (nz - 1));
                break;
            case SynthSize.Medium:
                dz = rg.Pick(MediumSliceSpacings);
                nz = Math.Clamp((int)Math.Round(extent / dz), 48, 320);
                break;
            default:
            {
                var (choices, nMin, nMax) = modality == Modality.MR ? (FullMrSliceSpacings, 48, 240) : (FullCtSliceSpacings, 80, 600);
                var valid = choices.Where(c => extent / c >= nMin && extent / c <= nMax).ToArray();
                dz = valid.Length > 0 ? rg.Pick(valid) : choices[^1];
                nz = Math.Clamp((int)Math.Round(extent / dz), nMin, nMax);
                if (fixedFieldOfView) { nz = Math.Clamp((int)Math.Round(extent / dz) + 1, nMin, nMax); dz = F(extent / (nz - 1)); }
                break;
            }
        }

        var centerX = rg.Clipped(0, 10);
        var centerY = 12 + rg.Clipped(0, 10);
        var origin = new Vec3(F(centerX - (n - 1) / 2.0 * sx), F(centerY - (n - 1) / 2.0 * sx), F(top - (nz - 1) * dz));

        var p = new PhantomParameters
        {
            Seed = seed,
            Modality = modality,
            Sequence = r.Chance(0.5) ? MrSequence.T1 : MrSequence.T2,
            FieldOfView = fov,
            Shape = new Int3(n, n, nz),
            Spacing = new Vec3(sx, sx, dz),
            Origin = origin,
            PatientScale = s,
            WidthFactor = width,
            DepthFactor = depth,
            SubcutaneousFatMm = fat,
            MuscleMm = muscle,
            PatientOffset = offset,
            Liver = Organ(r),
            Spleen = Organ(r),
            KidneyLeft = Organ(r),
            KidneyRight = Organ(r),
            Stomach = Organ(r),
            Pancreas = Organ(r),
            Gallbladder = Organ(r),
            Heart = Organ(r),
            StomachAirFraction = r.Chance(0.2) ? 0 : r.Uniform(0.1, 0.5),
            BowelLoops = r.Int(30, 45),
            Lesion = r.Chance(0.6) ? DrawLesion(r) : null,
            DetailSeed = (long)r.NextUInt64(),
            Contrast = r.Chance(0.7),
            EnhancementFactor = r.Uniform(0.9, 1.2),
            NoiseSdHu = r.Uniform(6, 25),
            OutOfFieldValue = r.NextDouble() switch { < 0.5 => -1024, < 0.85 => -2048, _ => null },
            Bias = new BiasField(r.Clipped(0, 0.2), r.Clipped(0, 0.2), r.Clipped(0, 0.15),
                r.Clipped(0, 0.12), r.Clipped(0, 0.12), r.Clipped(0, 0.08), r.Clipped(0, 0.1)),
            MrNoiseSigma = r.Uniform(0.015, 0.05),
            MrScale = r.Uniform(300, 3000),
            // Drawn last so that adding it kept every other draw of a seed unchanged.
            PatientRollDegrees = r.Clipped(0, 2.5),
        };
        return p;
    }

    /// <summary>
    /// The z range (mm, top then bottom, before patient scaling) a fixed field of view covers: the middle of the drawn
    /// ranges. Abdomen: dome of the liver to the pelvis; thorax: lung apices to the upper abdomen.
    /// </summary>
    public static (double Top, double Bottom) NominalRange(FieldOfView fov) => fov switch
    {
        FieldOfView.Abdomen => (40, -260),
        FieldOfView.Thorax => (282.5, -27.5),
        _ => (282.5, -260),
    };

    private static FieldOfView DrawFov(SynthRandom r, Modality modality)
    {
        var u = r.NextDouble();
        if (modality == Modality.MR) return u < 0.8 ? FieldOfView.Abdomen : FieldOfView.ThoraxAbdomen;
        return u < 0.45 ? FieldOfView.Abdomen : u < 0.75 ? FieldOfView.ThoraxAbdomen : FieldOfView.Thorax;
    }

    private static OrganJitter Organ(SynthRandom r) =>
        new(new Vec3(r.Clipped(0, 5), r.Clipped(0, 5), r.Clipped(0, 7)), r.Clipped(1, 0.07), r.Clipped(0, 7));

    private static LesionParameters DrawLesion(SynthRandom r)
    {
        var u = r.NextDouble();
        var host = u < 0.7 ? PhantomLabels.Liver : u < 0.8 ? PhantomLabels.Spleen : u < 0.9 ? PhantomLabels.KidneyLeft : PhantomLabels.KidneyRight;
        // A point uniformly inside a sphere of radius 0.45 (fraction of the organ's radii) keeps the lesion inside.
        Vec3 rel;
        do rel = new Vec3(r.Uniform(-1, 1), r.Uniform(-1, 1), r.Uniform(-1, 1)); while (rel.Norm > 1);
        rel *= 0.45;
        var hyper = r.Chance(0.25);
        return new LesionParameters(host, rel, r.Uniform(7, 22),
            hyper ? r.Uniform(55, 70) : r.Uniform(15, 35),
            hyper ? r.Uniform(140, 170) : r.Uniform(35, 65));
    }

    /// <summary>Rounds to float precision so the NIfTI header (float32) stores exactly the geometry we used.</summary>
    private static double F(double v) => (double)(float)v;
}
