namespace Streaming.Imaging.Formats.Nifti;

/// <summary>How <see cref="NiftiWriter"/> stores a volume. Validated when writing.</summary>
public sealed record NiftiWriteOptions
{
    /// <summary>Stored type; values are rounded (half to even) and saturated into it.</summary>
    public NiftiDataType DataType { get; init; } = NiftiDataType.Int16;
    /// <summary>1 (348-byte header, float32 geometry, dims up to 32767) or 2 (540-byte header, double geometry).</summary>
    public int Version { get; init; } = 1;
    public bool BigEndian { get; init; }
    /// <summary>sform_code to write (1 scanner, 2 aligned, 3 Talairach, 4 MNI, 5 template); 0 = do not write the sform.</summary>
    public int SformCode { get; init; } = 1;
    /// <summary>qform_code to write; 0 = do not write the qform.</summary>
    public int QformCode { get; init; } = 1;
    /// <summary>scl_slope: the file stores (value - SclInter) / SclSlope; readers multiply back.</summary>
    public double SclSlope { get; init; } = 1;
    public double SclInter { get; init; }
    /// <summary>descrip (at most 79 ASCII characters are kept).</summary>
    public string Description { get; init; } = "";
    /// <summary>zlib level 0..9 for .gz outputs; 1 (fastest) by default, since ingest re-reads far more than it writes.</summary>
    public int CompressionLevel { get; init; } = 1;

    public void Validate()
    {
        if (!Enum.IsDefined(DataType)) throw new ArgumentException($"unsupported NIfTI datatype {(int)DataType}");
        if (Version is not (1 or 2)) throw new ArgumentException($"NIfTI version must be 1 or 2, not {Version}");
        if (SformCode is < 0 or > 5) throw new ArgumentException($"sform code must be 0..5, not {SformCode}");
        if (QformCode is < 0 or > 5) throw new ArgumentException($"qform code must be 0..5, not {QformCode}");
        if (!double.IsFinite(SclSlope) || SclSlope == 0) throw new ArgumentException($"scl_slope must be finite and non-zero, not {SclSlope}");
        if (!double.IsFinite(SclInter)) throw new ArgumentException($"scl_inter must be finite, not {SclInter}");
        if (CompressionLevel is < 0 or > 9) throw new ArgumentException($"compression level must be 0..9, not {CompressionLevel}");
        ArgumentNullException.ThrowIfNull(Description);
    }
}
