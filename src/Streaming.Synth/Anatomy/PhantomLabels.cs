namespace Streaming.Synth.Anatomy;

/// <summary>
/// One class of the phantom label map. HU ranges are the expected mean over the label's voxels (including its
/// inner structure such as vessels or marrow), without and with intravenous contrast; T1/T2 are relative signal
/// levels (0..1) of the dominant tissue before bias field, noise and scaling.
/// </summary>
public sealed record PhantomLabel(
    byte Id, string Name,
    double PlainHuMin, double PlainHuMax,
    double ContrastHuMin, double ContrastHuMax,
    double T1, double T2);

/// <summary>The published label table of the phantom (0 = background / unlabeled tissue).</summary>
public static class PhantomLabels
{
    public const byte Background = 0;
    public const byte Liver = 1;
    public const byte Spleen = 2;
    public const byte KidneyLeft = 3;
    public const byte KidneyRight = 4;
    public const byte Stomach = 5;
    public const byte Pancreas = 6;
    public const byte Gallbladder = 7;
    public const byte Aorta = 8;
    public const byte Ivc = 9;
    public const byte LungLeft = 10;
    public const byte LungRight = 11;
    public const byte Vertebrae = 12;
    public const byte Ribs = 13;
    public const byte Bowel = 14;
    public const byte Lesion = 15;
    public const byte Heart = 16;
    public const byte Muscle = 17;
    public const byte SubcutaneousFat = 18;

    public static IReadOnlyList<PhantomLabel> All { get; } =
    [
        new(Background, "background", -1100, 100, -1100, 100, 0.0, 0.0),
        new(Liver, "liver", 40, 80, 85, 135, 0.55, 0.25),
        new(Spleen, "spleen", 30, 65, 90, 145, 0.40, 0.55),
        new(KidneyLeft, "kidney_left", 15, 55, 110, 230, 0.45, 0.60),
        new(KidneyRight, "kidney_right", 15, 55, 110, 230, 0.45, 0.60),
        new(Stomach, "stomach", -900, 60, -900, 80, 0.20, 0.70),
        new(Pancreas, "pancreas", 20, 65, 70, 130, 0.50, 0.35),
        new(Gallbladder, "gallbladder", -5, 30, -5, 35, 0.15, 1.00),
        new(Aorta, "aorta", 25, 65, 150, 320, 0.10, 0.08),
        new(Ivc, "inferior_vena_cava", 25, 65, 110, 220, 0.15, 0.10),
        new(LungLeft, "lung_left", -920, -720, -920, -700, 0.03, 0.03),
        new(LungRight, "lung_right", -920, -720, -920, -700, 0.03, 0.03),
        new(Vertebrae, "vertebrae", 200, 700, 200, 700, 0.65, 0.45),
        new(Ribs, "ribs", 150, 900, 150, 900, 0.55, 0.35),
        new(Bowel, "bowel", -960, 80, -960, 120, 0.30, 0.60),
        new(Lesion, "lesion", -20, 90, -20, 210, 0.30, 0.85),
        new(Heart, "heart", 25, 65, 100, 200, 0.35, 0.25),
        new(Muscle, "muscle", 30, 70, 40, 80, 0.35, 0.20),
        new(SubcutaneousFat, "subcutaneous_fat", -130, -70, -130, -70, 0.90, 0.75),
    ];

    /// <summary>Number of classes including background (label ids are 0..Count-1).</summary>
    public static int Count => All.Count;

    public static PhantomLabel Get(byte id) =>
        id < All.Count ? All[id] : throw new ArgumentOutOfRangeException(nameof(id), $"no phantom label {id}");
}
