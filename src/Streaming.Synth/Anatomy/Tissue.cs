namespace Streaming.Synth.Anatomy;

/// <summary>
/// Internal tissue classes, finer than labels (a kidney has cortex and medulla, a vertebra cortical bone and marrow).
/// Intensities are assigned per tissue; labels per organ.
/// </summary>
public enum Tissue : byte
{
    Air = 0,
    Skin,
    Fat,
    VisceralFat,
    Muscle,
    Lung,
    LungVessel,
    Airway,
    Liver,
    HepaticVessel,
    Spleen,
    KidneyCortex,
    KidneyMedulla,
    RenalSinus,
    StomachWall,
    StomachFluid,
    StomachAir,
    Pancreas,
    Bile,
    BowelWall,
    BowelContent,
    BowelGas,
    Aorta,
    Ivc,
    Myocardium,
    HeartBlood,
    CorticalBone,
    Marrow,
    Disc,
    Csf,
    LesionTissue,
    TableShell,
    TableFoam,
    SoftTissue,
}
