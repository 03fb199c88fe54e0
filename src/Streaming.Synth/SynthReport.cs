using Streaming.Imaging.Volumes;

namespace Streaming.Synth;

/// <summary>
/// One written case. ImagePath is a .nii.gz file or, for NLST, the main series folder; LabelPath is null for
/// unlabeled splits. Shape and spacing are those of the stored image.
/// </summary>
public sealed record SynthCase(
    string Id, string Split, string ImagePath, string? LabelPath, Modality Modality,
    Int3 Shape, Vec3 Spacing, double Seconds, string Convention);

/// <summary>A deliberately broken file or folder written by <see cref="SynthOptions.Corrupt"/>.</summary>
public sealed record SynthFault(string Path, string Fault, string Description);

public sealed record SynthReport(
    IReadOnlyList<SynthCase> Cases, IReadOnlyList<SynthFault> Faults, string? ManifestPath, double Seconds)
{
    /// <summary>Full-size benchmark figure: cases per minute of wall time.</summary>
    public double CasesPerMinute => Seconds > 0 ? Cases.Count * 60.0 / Seconds : 0;
}

/// <summary>Progress of a run: cases done out of the total, and the case just finished.</summary>
public readonly record struct SynthProgress(int Done, int Total, string CaseId);
