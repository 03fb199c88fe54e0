namespace Streaming.Synth;

/// <summary>Options of <c>streaming synth</c>. Immutable; <see cref="Validate"/> at the boundary.</summary>
public sealed record SynthOptions
{
    /// <summary>Root folder; the layout's dataset folder (FLARE/, AMOS/, NLST/) is created inside it.</summary>
    public required string OutputDir { get; init; }
    public int Count { get; init; } = 10;
    public long Seed { get; init; } = 1;
    public SynthModality Modality { get; init; } = SynthModality.Ct;
    public SynthLayout Layout { get; init; } = SynthLayout.Flare;
    public SynthSize Size { get; init; } = SynthSize.Small;
    /// <summary>Also write one file or series for each fault ingest must survive, plus corrupt-manifest.json.</summary>
    public bool Corrupt { get; init; }
    /// <summary>Cases generated at once (each case is single-threaded; about 1 GB per full-size worker).</summary>
    public int Parallelism { get; init; } = Math.Max(1, Environment.ProcessorCount);
    /// <summary>Restrict the field of view (null: drawn per case; abdomen when <see cref="FixedFieldOfView"/>).</summary>
    public Anatomy.FieldOfView? FieldOfView { get; init; }
    /// <summary>
    /// Every scan covers exactly its field of view's nominal z range in the patient's anatomy (same anatomy at the
    /// same relative slice position in every case, as SAL's positional losses assume), instead of a drawn range.
    /// </summary>
    public bool FixedFieldOfView { get; init; }
    /// <summary>gzip level of .nii.gz files (1 = fastest).</summary>
    public int CompressionLevel { get; init; } = 1;
    /// <summary>
    /// Delete the layout's dataset folder (and a previous corrupt-manifest.json) first, so a smaller re-run leaves no
    /// stale cases for ingest to discover. Without it, files of the same names are replaced and others are kept.
    /// </summary>
    public bool Clean { get; init; }
    /// <summary>Contrast phase of CT cases (drawn per case by default). NLST stays plain: it is non-contrast screening CT.</summary>
    public SynthContrast Contrast { get; init; } = SynthContrast.Drawn;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDir)) throw new ArgumentException("synth: an output folder is required");
        if (Count is < 1 or > 1_000_000) throw new ArgumentException($"synth: --count must be 1..1000000, not {Count}");
        if (!Enum.IsDefined(Modality)) throw new ArgumentException($"synth: unknown modality {Modality}");
        if (!Enum.IsDefined(Layout)) throw new ArgumentException($"synth: unknown layout {Layout}");
        if (!Enum.IsDefined(Size)) throw new ArgumentException($"synth: unknown size {Size}");
        if (Parallelism is < 1 or > 256) throw new ArgumentException($"synth: parallelism must be 1..256, not {Parallelism}");
        if (CompressionLevel is < 0 or > 9) throw new ArgumentException($"synth: compression level must be 0..9, not {CompressionLevel}");
        if (!Enum.IsDefined(Contrast)) throw new ArgumentException($"synth: unknown contrast {Contrast}");
        if (Layout == SynthLayout.Nlst && Contrast == SynthContrast.Venous)
            throw new ArgumentException("synth: the NLST layout holds non-contrast screening CT; --contrast venous does not fit (use flare or amos)");
        if (Layout == SynthLayout.Nlst && Modality != SynthModality.Ct)
            throw new ArgumentException("synth: the NLST layout holds low-dose chest CT only; use --modality ct");
        if (Layout == SynthLayout.Nlst && FieldOfView == Anatomy.FieldOfView.Abdomen)
            throw new ArgumentException("synth: NLST scans cover the thorax; an abdomen-only field of view does not fit");
    }
}
