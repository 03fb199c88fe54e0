using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>The attributes of one DICOM file that series grouping, ordering and decoding need (header only).</summary>
public sealed record DicomHeader
{
    public required string Path { get; init; }
    /// <summary>SeriesInstanceUID; null when absent or empty (some anonymisers blank it).</summary>
    public string? SeriesInstanceUid { get; init; }
    public int? SeriesNumber { get; init; }
    public string? StudyInstanceUid { get; init; }
    public string? SopInstanceUid { get; init; }
    public string? SopClassUid { get; init; }
    /// <summary>MediaStorageSOPClassUID from the file meta information (DICOMDIR has no SOPClassUID of its own).</summary>
    public string? MediaStorageSopClassUid { get; init; }
    public string? PatientId { get; init; }
    public string? Modality { get; init; }
    public string? SeriesDescription { get; init; }
    public string? TransferSyntaxUid { get; init; }
    public int Rows { get; init; }
    public int Columns { get; init; }
    public int NumberOfFrames { get; init; } = 1;
    public int SamplesPerPixel { get; init; } = 1;
    public int BitsAllocated { get; init; }
    public int BitsStored { get; init; }
    public int PixelRepresentation { get; init; }
    public int? InstanceNumber { get; init; }
    /// <summary>ImagePositionPatient (LPS mm of the first transmitted voxel); null when absent.</summary>
    public Vec3? Position { get; init; }
    /// <summary>ImageOrientationPatient row cosine (direction of increasing column index); null when absent.</summary>
    public Vec3? RowCosine { get; init; }
    /// <summary>ImageOrientationPatient column cosine (direction of increasing row index); null when absent.</summary>
    public Vec3? ColumnCosine { get; init; }
    /// <summary>PixelSpacing as stored: (row spacing = between rows, column spacing = between columns).</summary>
    public (double RowSpacing, double ColumnSpacing)? PixelSpacing { get; init; }
    public double? SliceThickness { get; init; }
    public double RescaleSlope { get; init; } = 1;
    public double RescaleIntercept { get; init; }
    /// <summary>True when the file states RescaleSlope/Intercept (top level, or the first frame's functional groups).</summary>
    public bool HasRescale { get; init; }

    /// <summary>
    /// What groups files into a series: the SeriesInstanceUID, or for files without one, their folder, SeriesNumber,
    /// description and image size (stable across runs, never empty).
    /// </summary>
    public string SeriesKey => SeriesKeyRelativeTo(null);

    /// <summary>
    /// <see cref="SeriesKey"/> with the folder of a UID-less file written relative to <paramref name="archiveRoot"/>, so
    /// that the same archive mounted elsewhere gives the same keys (and volume ids).
    /// </summary>
    public string SeriesKeyRelativeTo(string? archiveRoot)
    {
        if (SeriesInstanceUid is { } uid) return uid;
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? "";
        if (archiveRoot is not null) folder = System.IO.Path.GetRelativePath(archiveRoot, folder).Replace('\\', '/');
        return $"no-SeriesInstanceUID:{folder}|{SeriesNumber}|{SeriesDescription}|{Columns}x{Rows}";
    }

    /// <summary>Slice normal = row cosine × column cosine; null without orientation.</summary>
    public Vec3? Normal => RowCosine is { } r && ColumnCosine is { } c ? r.Cross(c).Normalized() : null;
}
