namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// A DICOM attribute tag as plain numbers. gdcm.Tag owns native memory and needs the glue loaded, so tags are kept
/// as values and turned into gdcm objects only at the call site.
/// </summary>
public readonly record struct DicomTag(ushort Group, ushort Element)
{
    internal gdcm.Tag ToGdcm() => new(Group, Element);
    public override string ToString() => $"({Group:X4},{Element:X4})";

    public static readonly DicomTag MediaStorageSopClassUid = new(0x0002, 0x0002);
    public static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);
    public static readonly DicomTag SopClassUid = new(0x0008, 0x0016);
    public static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);
    public static readonly DicomTag Modality = new(0x0008, 0x0060);
    public static readonly DicomTag SeriesDescription = new(0x0008, 0x103E);
    public static readonly DicomTag PatientName = new(0x0010, 0x0010);
    public static readonly DicomTag PatientId = new(0x0010, 0x0020);
    public static readonly DicomTag SliceThickness = new(0x0018, 0x0050);
    public static readonly DicomTag SpacingBetweenSlices = new(0x0018, 0x0088);
    public static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);
    public static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);
    public static readonly DicomTag SeriesNumber = new(0x0020, 0x0011);
    public static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);
    public static readonly DicomTag ImagePositionPatient = new(0x0020, 0x0032);
    public static readonly DicomTag ImageOrientationPatient = new(0x0020, 0x0037);
    public static readonly DicomTag FrameOfReferenceUid = new(0x0020, 0x0052);
    public static readonly DicomTag SamplesPerPixel = new(0x0028, 0x0002);
    public static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);
    public static readonly DicomTag Rows = new(0x0028, 0x0010);
    public static readonly DicomTag Columns = new(0x0028, 0x0011);
    public static readonly DicomTag PixelSpacing = new(0x0028, 0x0030);
    public static readonly DicomTag BitsAllocated = new(0x0028, 0x0100);
    public static readonly DicomTag BitsStored = new(0x0028, 0x0101);
    public static readonly DicomTag HighBit = new(0x0028, 0x0102);
    public static readonly DicomTag PixelRepresentation = new(0x0028, 0x0103);
    public static readonly DicomTag RescaleIntercept = new(0x0028, 0x1052);
    public static readonly DicomTag RescaleSlope = new(0x0028, 0x1053);
    public static readonly DicomTag RescaleType = new(0x0028, 0x1054);
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);
}
