using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>How <see cref="DicomSeriesWriter"/> encodes a volume as a DICOM series. UIDs are generated when null.</summary>
public sealed record DicomSeriesWriteOptions
{
    public required string PatientId { get; init; }
    public string? StudyInstanceUid { get; init; }
    public string? SeriesInstanceUid { get; init; }
    public Modality Modality { get; init; } = Modality.CT;
    public DicomTransferSyntax TransferSyntax { get; init; } = DicomTransferSyntax.ExplicitVrLittleEndian;
    public double RescaleIntercept { get; init; } = -1024;
    public double RescaleSlope { get; init; } = 1;
    public string SeriesDescription { get; init; } = "";
    public int SeriesNumber { get; init; } = 1;
    /// <summary>Composite format with the 1-based instance number as argument {0}.</summary>
    public string FileNamePattern { get; init; } = "IM{0:D4}.dcm";

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(PatientId) || PatientId.Length > 64)
            throw new ArgumentException("PatientId must be 1..64 characters");
        ValidateUid(StudyInstanceUid, nameof(StudyInstanceUid));
        ValidateUid(SeriesInstanceUid, nameof(SeriesInstanceUid));
        if (!Enum.IsDefined(TransferSyntax)) throw new ArgumentException($"unknown transfer syntax {TransferSyntax}");
        if (!double.IsFinite(RescaleIntercept)) throw new ArgumentException("RescaleIntercept must be finite");
        if (!double.IsFinite(RescaleSlope) || RescaleSlope <= 0) throw new ArgumentException("RescaleSlope must be finite and > 0");
        if (SeriesDescription.Length > 64) throw new ArgumentException("SeriesDescription must be at most 64 characters");
        if (SeriesNumber < 0) throw new ArgumentException("SeriesNumber must be >= 0");
        string a, b;
        try { a = string.Format(System.Globalization.CultureInfo.InvariantCulture, FileNamePattern, 1); b = string.Format(System.Globalization.CultureInfo.InvariantCulture, FileNamePattern, 2); }
        catch (FormatException e) { throw new ArgumentException($"FileNamePattern '{FileNamePattern}' is not a valid format: {e.Message}"); }
        if (a == b) throw new ArgumentException($"FileNamePattern '{FileNamePattern}' must use the instance number {{0}}");
        if (a.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) throw new ArgumentException($"FileNamePattern '{FileNamePattern}' gives an invalid file name");
    }

    private static void ValidateUid(string? uid, string name)
    {
        if (uid is null) return;
        if (uid.Length is 0 or > 64 || uid.Any(c => c != '.' && !char.IsAsciiDigit(c)))
            throw new ArgumentException($"{name} '{uid}' is not a valid DICOM UID (digits and dots, at most 64)");
    }
}
