using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>Parses the header of a DICOM file through GDCM, stopping before the pixel data.</summary>
public static class DicomHeaderReader
{
    /// <summary>Reads the header; throws <see cref="InvalidDataException"/> naming the file when it is not usable DICOM.</summary>
    public static DicomHeader Read(string path)
    {
        GdcmNativeResolver.EnsureRegistered();
        if (!File.Exists(path)) throw new FileNotFoundException($"DICOM file {path} does not exist", path);
        DicomFileStructure.EnsureWellFormed(path); // GDCM aborts the process on some truncated files
        using var reader = new gdcm.Reader();
        reader.SetFileName(path);
        using var stop = DicomTag.PixelData.ToGdcm();
        using var skip = new gdcm.TagSetType();
        if (!reader.ReadUpToTag(stop, skip))
            throw new InvalidDataException($"{path}: not a readable DICOM file (GDCM could not parse its header)");
        using var values = new GdcmDataSetValues(reader.GetFile());
        try
        {
            return FromValues(path, values, reader.GetFile().GetDataSet());
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    internal static DicomHeader FromValues(string path, GdcmDataSetValues v, gdcm.DataSet ds)
    {
        var frames = Math.Max(1, v.Int(DicomTag.NumberOfFrames) ?? 1);
        // Enhanced objects (multi-frame, or single-frame Enhanced CT/MR) keep orientation, pixel spacing, position and
        // rescale in functional groups instead of the top level; the first frame's values stand for the file here.
        var iop = v.Doubles(DicomTag.ImageOrientationPatient) ?? GdcmFunctionalGroups.Orientation(ds);
        if (iop is not null && iop.Length != 6)
            throw new InvalidDataException($"ImageOrientationPatient has {iop.Length} values, expected 6");
        var ipp = v.Doubles(DicomTag.ImagePositionPatient) ?? GdcmFunctionalGroups.FramePositions(ds, 1)?[0].ToArray();
        if (ipp is not null && ipp.Length != 3)
            throw new InvalidDataException($"ImagePositionPatient has {ipp.Length} values, expected 3");
        var ps = v.Doubles(DicomTag.PixelSpacing) ?? GdcmFunctionalGroups.PixelSpacing(ds);
        if (ps is not null && ps.Length != 2)
            throw new InvalidDataException($"PixelSpacing has {ps.Length} values, expected 2");
        var slope = v.Double(DicomTag.RescaleSlope);
        var intercept = v.Double(DicomTag.RescaleIntercept);
        if (slope is null && intercept is null && GdcmFunctionalGroups.FrameRescale(ds, 1) is [var first])
            (slope, intercept) = (first.Slope, first.Intercept);
        return new DicomHeader
        {
            Path = path,
            SeriesInstanceUid = v.String(DicomTag.SeriesInstanceUid),
            SeriesNumber = v.Int(DicomTag.SeriesNumber),
            StudyInstanceUid = v.String(DicomTag.StudyInstanceUid),
            SopInstanceUid = v.String(DicomTag.SopInstanceUid),
            SopClassUid = v.String(DicomTag.SopClassUid),
            MediaStorageSopClassUid = v.String(DicomTag.MediaStorageSopClassUid),
            PatientId = v.String(DicomTag.PatientId),
            Modality = v.String(DicomTag.Modality),
            SeriesDescription = v.String(DicomTag.SeriesDescription),
            TransferSyntaxUid = v.String(DicomTag.TransferSyntaxUid),
            Rows = v.Int(DicomTag.Rows) ?? 0,
            Columns = v.Int(DicomTag.Columns) ?? 0,
            NumberOfFrames = frames,
            SamplesPerPixel = v.Int(DicomTag.SamplesPerPixel) ?? 1,
            BitsAllocated = v.Int(DicomTag.BitsAllocated) ?? 0,
            BitsStored = v.Int(DicomTag.BitsStored) ?? 0,
            PixelRepresentation = v.Int(DicomTag.PixelRepresentation) ?? 0,
            InstanceNumber = v.Int(DicomTag.InstanceNumber),
            Position = ipp is null ? null : Vec3.FromArray(ipp),
            RowCosine = iop is null ? null : new Vec3(iop[0], iop[1], iop[2]),
            ColumnCosine = iop is null ? null : new Vec3(iop[3], iop[4], iop[5]),
            PixelSpacing = ps is null ? null : (ps[0], ps[1]),
            SliceThickness = v.Double(DicomTag.SliceThickness),
            RescaleSlope = slope is { } s && s != 0 ? s : 1,
            RescaleIntercept = intercept ?? 0,
            HasRescale = slope is not null || intercept is not null,
        };
    }
}
