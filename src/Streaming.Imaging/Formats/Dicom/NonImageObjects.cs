namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// DICOM objects that sit beside image series in real archives but hold no volume: segmentations (SEG, whose 1-bit
/// pixels abort GDCM's decoder), RT structure sets and plans, structured reports, key object selections, presentation
/// states, raw data, registrations, encapsulated documents, and DICOMDIR. They are recognised from the header (SOP
/// Class UID, Media Storage SOP Class UID, Modality) and skipped with a note before any pixel is decoded.
/// </summary>
public static class NonImageObjects
{
    private static readonly (string Prefix, string Name)[] SopClasses =
    [
        ("1.2.840.10008.1.3.10", "DICOMDIR (media directory)"),
        ("1.2.840.10008.5.1.4.1.1.66.4", "Segmentation (SEG)"),
        ("1.2.840.10008.5.1.4.1.1.66.5", "Surface Segmentation"),
        ("1.2.840.10008.5.1.4.1.1.66", "Raw Data / Spatial Registration"),
        ("1.2.840.10008.5.1.4.1.1.481.2", "RT Dose"),
        ("1.2.840.10008.5.1.4.1.1.481.3", "RT Structure Set (RTSTRUCT)"),
        ("1.2.840.10008.5.1.4.1.1.481.", "RT object"),
        ("1.2.840.10008.5.1.4.1.1.88.59", "Key Object Selection (KO)"),
        ("1.2.840.10008.5.1.4.1.1.88.", "Structured Report (SR)"),
        ("1.2.840.10008.5.1.4.1.1.11.", "Presentation State (PR)"),
        ("1.2.840.10008.5.1.4.1.1.104.", "Encapsulated document"),
    ];

    private static readonly Dictionary<string, string> Modalities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SEG"] = "Segmentation (SEG)", ["RTSTRUCT"] = "RT Structure Set (RTSTRUCT)", ["RTPLAN"] = "RT Plan", ["RTDOSE"] = "RT Dose",
        ["RTRECORD"] = "RT record", ["SR"] = "Structured Report (SR)", ["KO"] = "Key Object Selection (KO)", ["PR"] = "Presentation State (PR)",
        ["DOC"] = "Encapsulated document", ["REG"] = "Registration", ["PLAN"] = "Plan", ["FID"] = "Fiducials",
    };

    /// <summary>Why the file is not an image to ingest, or null when it may be one.</summary>
    public static string? Reason(DicomHeader h)
    {
        ArgumentNullException.ThrowIfNull(h);
        foreach (var uid in new[] { h.SopClassUid, h.MediaStorageSopClassUid })
        {
            if (uid is null) continue;
            foreach (var (prefix, name) in SopClasses)
                if (uid == prefix || (prefix.EndsWith('.') || prefix.Length < uid.Length && uid[prefix.Length] == '.') && uid.StartsWith(prefix, StringComparison.Ordinal))
                    return Describe(name, uid, h.Modality);
        }
        if (h.Modality is { } m && Modalities.TryGetValue(m, out var kind)) return Describe(kind, h.SopClassUid, m);
        return null;
    }

    private static string Describe(string kind, string? uid, string? modality) =>
        $"non-image DICOM object: {kind}{(uid is null ? "" : $", SOP Class {uid}")}{(modality is null ? "" : $", Modality {modality}")}; skipped before decoding";
}
