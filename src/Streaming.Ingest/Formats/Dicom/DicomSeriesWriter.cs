using System.Globalization;
using Streaming.Ingest.Volumes;

namespace Streaming.Ingest.Formats.Dicom;

/// <summary>
/// Writes a volume as a classic single-frame DICOM series (one file per z slice) through GDCM. Values are stored as
/// 16-bit integers after the inverse rescale (rounded to nearest, saturated): unsigned when every stored value is
/// non-negative, signed otherwise; the choice is made once per series so every slice has the same pixel format.
/// </summary>
public static class DicomSeriesWriter
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    private const int MinJpeg2000Pixels = 256;

    /// <summary>Writes the files into folder (created if missing) and returns their paths in slice (z) order.</summary>
    public static IReadOnlyList<string> Write(string folder, Volume<float> image, DicomSeriesWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        image.Geometry.Validate();
        // GDCM 3.0's JPEG 2000 encoder overruns its output buffer on tiny slices (seen up to 5x6 pixels) and
        // corrupts the heap; refuse rather than crash the process.
        if (options.TransferSyntax == DicomTransferSyntax.Jpeg2000Lossless && (long)image.Shape.X * image.Shape.Y < MinJpeg2000Pixels)
            throw new ArgumentException($"JPEG 2000 needs slices of at least {MinJpeg2000Pixels} pixels; {image.Shape.X}x{image.Shape.Y} is too small");
        GdcmNativeResolver.EnsureRegistered();
        Directory.CreateDirectory(folder);

        var g = image.Geometry;
        var stored = StoredValues.From(image.Data, options.RescaleSlope, options.RescaleIntercept);
        using var uids = new gdcm.UIDGenerator();
        var study = options.StudyInstanceUid ?? uids.Generate();
        var series = options.SeriesInstanceUid ?? uids.Generate();
        var frameOfReference = uids.Generate();
        var row = g.Direction.Column(0);
        var col = g.Direction.Column(1);
        var sliceBytes = g.Shape.X * g.Shape.Y * 2;
        var paths = new List<string>(g.Shape.Z);
        for (var z = 0; z < g.Shape.Z; z++)
        {
            var path = Path.Combine(folder, string.Format(CultureInfo.InvariantCulture, options.FileNamePattern, z + 1));
            var slice = new SliceFields(
                Position: g.IndexToPhysical(0, 0, z),
                Row: row, Column: col,
                Instance: z + 1,
                SopInstanceUid: uids.Generate(),
                Pixels: stored.Bytes.AsMemory(z * sliceBytes, sliceBytes));
            WriteSliceAtomically(path, g, stored.Signed, slice, study, series, frameOfReference, options);
            paths.Add(path);
        }
        return paths;
    }

    private sealed record SliceFields(Vec3 Position, Vec3 Row, Vec3 Column, int Instance, string SopInstanceUid, ReadOnlyMemory<byte> Pixels);

    private static void WriteSliceAtomically(string path, VolumeGeometry g, bool signed, SliceFields slice,
        string study, string series, string frameOfReference, DicomSeriesWriteOptions o)
    {
        var tmp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            WriteSlice(tmp, g, signed, slice, study, series, frameOfReference, o);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    private static void WriteSlice(string path, VolumeGeometry g, bool signed, SliceFields s,
        string study, string series, string frameOfReference, DicomSeriesWriteOptions o)
    {
        var image = BuildImage(g, signed, s, o);
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
            PutAttributes(writer.GetFile().GetDataSet(), g, s, study, series, frameOfReference, o);
            if (!writer.Write()) throw new IOException($"GDCM could not write DICOM file {path}");
        }
        finally
        {
            // The writer is gone by now; the filter owns (and frees) both its input and its output.
            change?.Dispose();
            image?.Dispose();
        }
    }

    private static gdcm.Image BuildImage(VolumeGeometry g, bool signed, SliceFields s, DicomSeriesWriteOptions o)
    {
        var image = new gdcm.Image();
        image.SetNumberOfDimensions(2);
        image.SetDimension(0, (uint)g.Shape.X);
        image.SetDimension(1, (uint)g.Shape.Y);
        // SetOrigin(double[]) copies only as many values as the image has dimensions, which would drop a 2-D
        // slice's z position; per-component setters keep all three.
        for (uint i = 0; i < 3; i++)
        {
            image.SetOrigin(i, s.Position[(int)i]);
            image.SetSpacing(i, g.Spacing[(int)i]);
        }
        using (var pf = new gdcm.PixelFormat(signed ? gdcm.PixelFormat.ScalarType.INT16 : gdcm.PixelFormat.ScalarType.UINT16))
            image.SetPixelFormat(pf);
        using (var pi = new gdcm.PhotometricInterpretation(gdcm.PhotometricInterpretation.PIType.MONOCHROME2))
            image.SetPhotometricInterpretation(pi);
        using (var explicitLe = new gdcm.TransferSyntax(gdcm.TransferSyntax.TSType.ExplicitVRLittleEndian))
            image.SetTransferSyntax(explicitLe);
        using (var pixelTag = DicomTag.PixelData.ToGdcm())
        using (var pixels = new gdcm.DataElement(pixelTag))
        using (var vl = new gdcm.VL((uint)s.Pixels.Length))
        {
            pixels.SetByteValue(s.Pixels.ToArray(), vl);
            image.SetDataElement(pixels);
        }
        image.SetDirectionCosines([s.Row.X, s.Row.Y, s.Row.Z, s.Column.X, s.Column.Y, s.Column.Z]);
        image.SetIntercept(o.RescaleIntercept);
        image.SetSlope(o.RescaleSlope);
        return image;
    }

    private static void PutAttributes(gdcm.DataSet ds, VolumeGeometry g, SliceFields s,
        string study, string series, string frameOfReference, DicomSeriesWriteOptions o)
    {
        var modality = o.Modality == Modality.CT ? "CT" : "MR";
        GdcmDataSetValues.Put(ds, DicomTag.SopClassUid, gdcm.VR.VRType.UI, o.Modality == Modality.CT ? CtImageStorage : MrImageStorage);
        GdcmDataSetValues.Put(ds, DicomTag.SopInstanceUid, gdcm.VR.VRType.UI, s.SopInstanceUid);
        GdcmDataSetValues.Put(ds, DicomTag.Modality, gdcm.VR.VRType.CS, modality);
        GdcmDataSetValues.Put(ds, DicomTag.PatientName, gdcm.VR.VRType.PN, o.PatientId);
        GdcmDataSetValues.Put(ds, DicomTag.PatientId, gdcm.VR.VRType.LO, o.PatientId);
        GdcmDataSetValues.Put(ds, DicomTag.StudyInstanceUid, gdcm.VR.VRType.UI, study);
        GdcmDataSetValues.Put(ds, DicomTag.SeriesInstanceUid, gdcm.VR.VRType.UI, series);
        GdcmDataSetValues.Put(ds, DicomTag.FrameOfReferenceUid, gdcm.VR.VRType.UI, frameOfReference);
        GdcmDataSetValues.Put(ds, DicomTag.SeriesDescription, gdcm.VR.VRType.LO, o.SeriesDescription);
        GdcmDataSetValues.Put(ds, DicomTag.SeriesNumber, gdcm.VR.VRType.IS, o.SeriesNumber.ToString(CultureInfo.InvariantCulture));
        GdcmDataSetValues.Put(ds, DicomTag.InstanceNumber, gdcm.VR.VRType.IS, s.Instance.ToString(CultureInfo.InvariantCulture));
        GdcmDataSetValues.Put(ds, DicomTag.SliceThickness, gdcm.VR.VRType.DS, GdcmDataSetValues.DecimalString(g.Spacing.Z));
        // GDCM writes rescale attributes only for some storage classes; write them ourselves so MR keeps its scaling too.
        GdcmDataSetValues.Put(ds, DicomTag.RescaleIntercept, gdcm.VR.VRType.DS, GdcmDataSetValues.DecimalString(o.RescaleIntercept));
        GdcmDataSetValues.Put(ds, DicomTag.RescaleSlope, gdcm.VR.VRType.DS, GdcmDataSetValues.DecimalString(o.RescaleSlope));
        GdcmDataSetValues.Put(ds, DicomTag.RescaleType, gdcm.VR.VRType.LO, o.Modality == Modality.CT ? "HU" : "US");
    }

    /// <summary>The whole volume mapped to stored integers, as little-endian 16-bit bytes.</summary>
    private sealed record StoredValues(byte[] Bytes, bool Signed)
    {
        public static StoredValues From(float[] data, double slope, double intercept)
        {
            var min = double.PositiveInfinity;
            foreach (var v in data)
            {
                if (float.IsNaN(v)) throw new ArgumentException("volume holds NaN, which DICOM integers cannot store");
                min = Math.Min(min, Math.Round((v - intercept) / slope, MidpointRounding.AwayFromZero));
            }
            var signed = min < 0;
            double lo = signed ? short.MinValue : ushort.MinValue;
            double hi = signed ? short.MaxValue : ushort.MaxValue;
            var bytes = new byte[data.Length * 2];
            for (var i = 0; i < data.Length; i++)
            {
                var s = Math.Clamp(Math.Round((data[i] - intercept) / slope, MidpointRounding.AwayFromZero), lo, hi);
                var bits = signed ? (ushort)(short)s : (ushort)s;
                bytes[2 * i] = (byte)bits;
                bytes[2 * i + 1] = (byte)(bits >> 8);
            }
            return new StoredValues(bytes, signed);
        }
    }
}
