using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Anatomy;

/// <summary>Which part of the trunk the scan covers.</summary>
public enum FieldOfView { Abdomen, Thorax, ThoraxAbdomen }

/// <summary>MRI weighting of the simulated sequence.</summary>
public enum MrSequence { T1, T2 }

/// <summary>Per-organ variation: an offset of its centre (mm), a scale factor and a rotation about z (degrees).</summary>
public readonly record struct OrganJitter(Vec3 Offset, double Scale, double YawDegrees)
{
    public static OrganJitter None => new(new Vec3(0, 0, 0), 1, 0);
}

/// <summary>
/// Coefficients of the log bias field over normalised grid coordinates x, y, z in [-1, 1]:
/// bias = exp(X x + Y y + Z z + XX x² + YY y² + ZZ z² + XY x y).
/// </summary>
public readonly record struct BiasField(double X, double Y, double Z, double XX, double YY, double ZZ, double XY)
{
    public static BiasField None => default;
}

/// <summary>An optional tumour: in which organ, where (a fraction of the organ radii from its centre), how big, how dense.</summary>
public sealed record LesionParameters(byte HostLabel, Vec3 RelativePosition, double RadiusMm, double PlainHu, double ContrastHu);

/// <summary>
/// Everything random about one phantom, drawn once from a seed (<see cref="PhantomSampler"/>); the scene builder and
/// renderer are pure functions of this record, so a record reproduces its volume exactly (TorchIO style).
/// </summary>
public sealed record PhantomParameters
{
    public required long Seed { get; init; }
    public required Modality Modality { get; init; }
    public MrSequence Sequence { get; init; } = MrSequence.T1;
    public required FieldOfView FieldOfView { get; init; }

    // --- grid (canonical: identity direction, LPS) ---
    public required Int3 Shape { get; init; }
    public required Vec3 Spacing { get; init; }
    public required Vec3 Origin { get; init; }

    // --- patient ---
    /// <summary>Overall size factor of the skeleton and organs (about 0.85-1.15).</summary>
    public double PatientScale { get; init; } = 1;
    /// <summary>Width/depth factors of the trunk frame (body habitus).</summary>
    public double WidthFactor { get; init; } = 1;
    public double DepthFactor { get; init; } = 1;
    public double SubcutaneousFatMm { get; init; } = 20;
    public double MuscleMm { get; init; } = 12;
    /// <summary>Shift of the patient in the scanner (mm, x and y).</summary>
    public Vec3 PatientOffset { get; init; } = new(0, 0, 0);
    /// <summary>
    /// Roll of the skeleton and organs about the body axis (degrees, positive turns +x toward +y); the outline, ribs
    /// and sternum stay on the table.
    /// </summary>
    public double PatientRollDegrees { get; init; }

    public OrganJitter Liver { get; init; } = OrganJitter.None;
    public OrganJitter Spleen { get; init; } = OrganJitter.None;
    public OrganJitter KidneyLeft { get; init; } = OrganJitter.None;
    public OrganJitter KidneyRight { get; init; } = OrganJitter.None;
    public OrganJitter Stomach { get; init; } = OrganJitter.None;
    public OrganJitter Pancreas { get; init; } = OrganJitter.None;
    public OrganJitter Gallbladder { get; init; } = OrganJitter.None;
    public OrganJitter Heart { get; init; } = OrganJitter.None;
    /// <summary>Air-fluid level in the stomach, as a fraction of the lumen depth that holds air (0 = none).</summary>
    public double StomachAirFraction { get; init; } = 0.3;
    public int BowelLoops { get; init; } = 18;
    public LesionParameters? Lesion { get; init; }
    /// <summary>Seed of the fine structures (vessel trees, bowel loops, per-tissue HU jitter, noise fields).</summary>
    public long DetailSeed { get; init; }

    // --- CT ---
    public bool Contrast { get; init; } = true;
    /// <summary>Scales contrast enhancement (bolus timing).</summary>
    public double EnhancementFactor { get; init; } = 1;
    /// <summary>Standard deviation of the quantum noise (HU), i.e. the dose.</summary>
    public double NoiseSdHu { get; init; } = 12;
    /// <summary>Value outside the reconstruction circle (-1024 or -2048); null when the whole grid is in the field.</summary>
    public double? OutOfFieldValue { get; init; } = -1024;

    // --- MRI ---
    /// <summary>The MRI receive-coil bias field (log-polynomial); <see cref="BiasField.None"/> for a flat field.</summary>
    public BiasField Bias { get; init; } = BiasField.None;
    /// <summary>Rician noise sigma relative to the liver signal.</summary>
    public double MrNoiseSigma { get; init; } = 0.03;
    /// <summary>Arbitrary intensity scale of the scanner.</summary>
    public double MrScale { get; init; } = 1000;

    public VolumeGeometry Geometry => VolumeGeometry.Axial(Shape, Spacing, Origin);
}
