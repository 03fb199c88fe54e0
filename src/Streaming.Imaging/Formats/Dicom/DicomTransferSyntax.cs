namespace Streaming.Imaging.Formats.Dicom;

/// <summary>The transfer syntaxes the writer can produce (all lossless).</summary>
public enum DicomTransferSyntax
{
    ImplicitVrLittleEndian,
    ExplicitVrLittleEndian,
    ExplicitVrBigEndian,
    JpegLosslessSv1,
    RleLossless,
    JpegLsLossless,
    Jpeg2000Lossless,
}

internal static class DicomTransferSyntaxMap
{
    public static gdcm.TransferSyntax.TSType ToGdcm(this DicomTransferSyntax ts) => ts switch
    {
        DicomTransferSyntax.ImplicitVrLittleEndian => gdcm.TransferSyntax.TSType.ImplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVrLittleEndian => gdcm.TransferSyntax.TSType.ExplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVrBigEndian => gdcm.TransferSyntax.TSType.ExplicitVRBigEndian,
        DicomTransferSyntax.JpegLosslessSv1 => gdcm.TransferSyntax.TSType.JPEGLosslessProcess14_1,
        DicomTransferSyntax.RleLossless => gdcm.TransferSyntax.TSType.RLELossless,
        DicomTransferSyntax.JpegLsLossless => gdcm.TransferSyntax.TSType.JPEGLSLossless,
        DicomTransferSyntax.Jpeg2000Lossless => gdcm.TransferSyntax.TSType.JPEG2000Lossless,
        _ => throw new ArgumentOutOfRangeException(nameof(ts), ts, "unknown transfer syntax"),
    };

    /// <summary>The DICOM UID of each syntax (what a reader sees in (0002,0010)).</summary>
    public static string Uid(this DicomTransferSyntax ts) => ts switch
    {
        DicomTransferSyntax.ImplicitVrLittleEndian => "1.2.840.10008.1.2",
        DicomTransferSyntax.ExplicitVrLittleEndian => "1.2.840.10008.1.2.1",
        DicomTransferSyntax.ExplicitVrBigEndian => "1.2.840.10008.1.2.2",
        DicomTransferSyntax.JpegLosslessSv1 => "1.2.840.10008.1.2.4.70",
        DicomTransferSyntax.RleLossless => "1.2.840.10008.1.2.5",
        DicomTransferSyntax.JpegLsLossless => "1.2.840.10008.1.2.4.80",
        DicomTransferSyntax.Jpeg2000Lossless => "1.2.840.10008.1.2.4.90",
        _ => throw new ArgumentOutOfRangeException(nameof(ts), ts, "unknown transfer syntax"),
    };
}
