using System.Globalization;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>What one written file holds: a 2-D slice (Frames = 1) or a multi-frame stack, and its identifiers.</summary>
internal sealed record GdcmImageFile(
    int Columns, int Rows, int Frames, bool Signed, ReadOnlyMemory<byte> Pixels,
    Vec3 Origin, Vec3 RowCosine, Vec3 ColumnCosine, Vec3 Spacing,
    int InstanceNumber, string SopInstanceUid, string StudyUid, string SeriesUid, string FrameOfReferenceUid);

/// <summary>
/// Builds a gdcm.Image, re-encodes it to the requested transfer syntax and writes it with GDCM's ImageWriter
/// (which derives IPP/IOP/PixelSpacing, or the functional groups of multi-frame files, from the image), atomically.
/// </summary>
internal static class GdcmImageFileWriter
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2", MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    private const string EnhancedCtImageStorage = "1.2.840.10008.5.1.4.1.1.2.1", EnhancedMrImageStorage = "1.2.840.10008.5.1.4.1.1.4.1";
    private const int MinJpeg2000Pixels = 256;

    /// <summary>Checks shared by both writers, before any file is touched.</summary>
    public static void ValidateInput(Volume<float> image, DicomSeriesWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        image.Geometry.Validate();
        var d = image.Geometry.Direction;
        var normal = d.Column(0).Cross(d.Column(1));
        if (Math.Abs(Math.Abs(normal.Dot(d.Column(2))) - 1) > 1e-4 || Math.Abs(d.Column(0).Dot(d.Column(1))) > 1e-4)
            throw new ArgumentException("direction matrix is not orthonormal (sheared slices); DICOM cannot describe it");
        // GDCM 3.0's JPEG 2000 encoder overruns its output buffer on tiny slices (seen up to 5x6 pixels) and
        // corrupts the heap; refuse rather than crash the process.
        if (options.TransferSyntax == DicomTransferSyntax.Jpeg2000Lossless && (long)image.Shape.X * image.Shape.Y < MinJpeg2000Pixels)
            throw new ArgumentException($"JPEG 2000 needs slices of at least {MinJpeg2000Pixels} pixels; {image.Shape.X}x{image.Shape.Y} is too small");
    }

    public static void WriteAtomically(string path, GdcmImageFile f, DicomSeriesWriteOptions o)
    {
        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            Write(tmp, f, o);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    private static void Write(string path, GdcmImageFile f, DicomSeriesWriteOptions o)
    {
        GdcmNativeResolver.EnsureRegistered();
        var image = BuildImage(f, o);
        gdcm.ImageChangeTransferSyntax? change = null;
        try
        {
            using var writer = new gdcm.ImageWriter();
            writer.SetFileName(path);
            if (o.TransferSyntax == DicomTransferSyntax.ExplicitVrLittleEndian)
            {
                writer.SetImage(image);
                GdcmOwnership.HandOver(ref image);
            }
            else
            {
                change = new gdcm.ImageChangeTransferSyntax();
                using (var ts = new gdcm.TransferSyntax(o.TransferSyntax.ToGdcm())) change.SetTransferSyntax(ts);
                change.SetInput(image);
                GdcmOwnership.HandOver(ref image);
                if (!change.Change()) throw new IOException($"GDCM could not encode {path} as {o.TransferSyntax}");
                writer.SetImage(change.GetOutput());
            }
            PutAttributes(writer.GetFile().GetDataSet(), f, o);
            if (!writer.Write()) throw new IOException($"GDCM could not write DICOM file {path}");
        }
        finally
        {
            // The writer is gone by now; the filter owns (and frees) both its input and its output.
            change?.Dispose();
            image?.Dispose();
        }
    }

    private static gdcm.Image BuildImage(GdcmImageFile f, DicomSeriesWriteOptions o)
    {
        var image = new gdcm.Image();
        image.SetNumberOfDimensions(f.Frames > 1 ? 3u : 2u);
        image.SetDimension(0, (uint)f.Columns);
        image.SetDimension(1, (uint)f.Rows);
        if (f.Frames > 1) image.SetDimension(2, (uint)f.Frames);
        // SetOrigin(double[]) copies only as many values as the image has dimensions, which would drop a 2-D
        // slice's z position; per-component setters keep all three.
        for (uint i = 0; i < 3; i++)
        {
            image.SetOrigin(i, f.Origin[(int)i]);
            image.SetSpacing(i, f.Spacing[(int)i]);
        }
        image.SetDirectionCosines([f.RowCosine.X, f.RowCosine.Y, f.RowCosine.Z, f.ColumnCosine.X, f.ColumnCosine.Y, f.ColumnCosine.Z]);
        using (var pf = new gdcm.PixelFormat(f.Signed ? gdcm.PixelFormat.ScalarType.INT16 : gdcm.PixelFormat.ScalarType.UINT16))
            image.SetPixelFormat(pf);
        using (var pi = new gdcm.PhotometricInterpretation(gdcm.PhotometricInterpretation.PIType.MONOCHROME2))
            image.SetPhotometricInterpretation(pi);
        using (var explicitLe = new gdcm.TransferSyntax(gdcm.TransferSyntax.TSType.ExplicitVRLittleEndian))
            image.SetTransferSyntax(explicitLe);
        using (var pixelTag = DicomTag.PixelData.ToGdcm())
        using (var pixels = new gdcm.DataElement(pixelTag))
        using (var vl = new gdcm.VL((uint)f.Pixels.Length))
        {
            pixels.SetByteValue(f.Pixels.ToArray(), vl);
            image.SetDataElement(pixels);
        }
        // GDCM turns an MR image with a non-identity rescale into Enhanced MR (classic MR Image Storage has no Modality
        // LUT module in its eyes), which moves IPP/IOP into functional groups. Classic MR files carry RescaleSlope/
        // Intercept in practice, so give GDCM the identity and write the attributes ourselves (PutAttributes).
        var gdcmRescale = o.Modality == Modality.CT || f.Frames > 1;
        image.SetIntercept(gdcmRescale ? o.RescaleIntercept : 0);
        image.SetSlope(gdcmRescale ? o.RescaleSlope : 1);
        return image;
    }

    private static void PutAttributes(gdcm.DataSet ds, GdcmImageFile f, DicomSeriesWriteOptions o)
    {
        var ct = o.Modality == Modality.CT;
        var sopClass = f.Frames > 1 ? (ct ? EnhancedCtImageStorage : EnhancedMrImageStorage) : (ct ? CtImageStorage : MrImageStorage);
        GdcmDataSetValues.Put(ds, DicomTag.SopClassUid, gdcm.VR.VRType.UI, sopClass);
        GdcmDataSetValues.Put(ds, DicomTag.SopInstanceUid, gdcm.VR.VRType.UI, f.SopInstanceUid);
        GdcmDataSetValues.Put(ds, DicomTag.Modality, gdcm.VR.VRType.CS, ct ? "CT" : "MR");
        GdcmDataSetValues.Put(ds, DicomTag.PatientName, gdcm.VR.VRType.PN, o.PatientId);
        GdcmDataSetValues.Put(ds, DicomTag.PatientId, gdcm.VR.VRType.LO, o.PatientId);
        GdcmDataSetValues.Put(ds, DicomTag.StudyInstanceUid, gdcm.VR.VRType.UI, f.StudyUid);
        GdcmDataSetValues.Put(ds, DicomTag.SeriesInstanceUid, gdcm.VR.VRType.UI, f.SeriesUid);
        GdcmDataSetValues.Put(ds, DicomTag.FrameOfReferenceUid, gdcm.VR.VRType.UI, f.FrameOfReferenceUid);
        GdcmDataSetValues.Put(ds, DicomTag.SeriesDescription, gdcm.VR.VRType.LO, o.SeriesDescription);
        GdcmDataSetValues.Put(ds, DicomTag.SeriesNumber, gdcm.VR.VRType.IS, o.SeriesNumber.ToString(CultureInfo.InvariantCulture));
        GdcmDataSetValues.Put(ds, DicomTag.InstanceNumber, gdcm.VR.VRType.IS, f.InstanceNumber.ToString(CultureInfo.InvariantCulture));
        GdcmDataSetValues.Put(ds, DicomTag.SliceThickness, gdcm.VR.VRType.DS, GdcmDataSetValues.DecimalString(f.Spacing.Z));
        if (f.Frames == 1)
        {
            // GDCM writes rescale attributes only for some storage classes; write them so MR keeps its scaling too.
            // (Multi-frame files carry them in GDCM's functional groups.)
            GdcmDataSetValues.Put(ds, DicomTag.RescaleIntercept, gdcm.VR.VRType.DS, GdcmDataSetValues.DecimalString(o.RescaleIntercept));
            GdcmDataSetValues.Put(ds, DicomTag.RescaleSlope, gdcm.VR.VRType.DS, GdcmDataSetValues.DecimalString(o.RescaleSlope));
            GdcmDataSetValues.Put(ds, DicomTag.RescaleType, gdcm.VR.VRType.LO, ct ? "HU" : "US");
        }
    }
}
