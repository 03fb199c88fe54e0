using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Pixel data of one file decoded by GDCM (any transfer syntax it supports), as stored integer values
/// (masked to BitsStored and sign-extended per PixelRepresentation) before any rescale, frame after frame.
/// Geometry is what GDCM computes for the file; for multi-frame files that is the only place it is gathered.
/// </summary>
public sealed record DecodedPixels(
    int Columns, int Rows, int Frames, float[] Stored,
    Vec3 Origin, Vec3 RowCosine, Vec3 ColumnCosine, Vec3 Spacing,
    double GdcmSlope, double GdcmIntercept, string PixelFormat, bool Lossy,
    Vec3[]? FramePositions = null, (double Slope, double Intercept)[]? FrameRescale = null)
{
    public int FrameLength => Columns * Rows;
}

internal static class GdcmPixelDecoder
{
    public static DecodedPixels Decode(string path)
    {
        GdcmNativeResolver.EnsureRegistered();
        DicomFileStructure.EnsureWellFormed(path); // GDCM aborts the process on some truncated files
        using var reader = new gdcm.ImageReader();
        reader.SetFileName(path);
        if (!reader.Read())
            throw new InvalidDataException($"{path}: GDCM could not read the image (not DICOM, truncated, or unsupported encoding)");
        using var image = reader.GetImage();
        var dims = image.GetNumberOfDimensions();
        var cols = (int)image.GetDimension(0);
        var rows = (int)image.GetDimension(1);
        var frames = dims >= 3 ? (int)image.GetDimension(2) : 1;
        using var pf = image.GetPixelFormat();
        if (pf.GetSamplesPerPixel() != 1)
            throw new InvalidDataException($"{path}: {pf.GetSamplesPerPixel()} samples per pixel; only grey-level images are supported");
        if (cols <= 0 || rows <= 0 || frames <= 0)
            throw new InvalidDataException($"{path}: empty image {cols}x{rows}x{frames}");

        // GetBuffer writes GetBufferLength() bytes without checking the array, so size it from GDCM, then check
        // that this is exactly what the pixel format and dimensions promise before interpreting it.
        var length = image.GetBufferLength();
        if (length > (ulong)Array.MaxLength)
            throw new InvalidDataException($"{path}: {cols}x{rows}x{frames} pixels need {length} bytes, more than one buffer can hold; the header is wrong");
        var expected = (long)cols * rows * frames * pf.GetPixelSize();
        if (length != expected)
            throw new InvalidDataException($"{path}: decoded pixel buffer has {length} bytes, expected {expected} for {cols}x{rows}x{frames} {pf.GetScalarTypeAsString()}");
        var buffer = new byte[length];
        if (!image.GetBuffer(buffer))
            throw new InvalidDataException($"{path}: GDCM could not decode the pixel data (truncated or corrupt)");

        var stored = ToStoredValues(buffer, pf, path);
        var o = new Vec3(image.GetOrigin(0), image.GetOrigin(1), image.GetOrigin(2));
        var rc = new Vec3(image.GetDirectionCosines(0), image.GetDirectionCosines(1), image.GetDirectionCosines(2));
        var cc = new Vec3(image.GetDirectionCosines(3), image.GetDirectionCosines(4), image.GetDirectionCosines(5));
        var sp = new Vec3(image.GetSpacing(0), image.GetSpacing(1), image.GetSpacing(2));
        Vec3[]? positions = null;
        (double, double)[]? rescale = null;
        if (frames > 1)
        {
            var ds = reader.GetFile().GetDataSet();
            positions = GdcmFunctionalGroups.FramePositions(ds, frames);
            rescale = GdcmFunctionalGroups.FrameRescale(ds, frames);
        }
        return new DecodedPixels(cols, rows, frames, stored, o, rc, cc, sp,
            image.GetSlope(), image.GetIntercept(), pf.GetScalarTypeAsString(), image.IsLossy(), positions, rescale);
    }

    private static float[] ToStoredValues(byte[] b, gdcm.PixelFormat pf, string path)
    {
        var bitsStored = pf.GetBitsStored();
        var signed = pf.GetPixelRepresentation() == 1;
        switch (pf.GetScalarType())
        {
            case gdcm.PixelFormat.ScalarType.UINT8:
            case gdcm.PixelFormat.ScalarType.INT8:
            {
                var r = new float[b.Length];
                for (var i = 0; i < r.Length; i++) r[i] = Mask(b[i], bitsStored, 8, signed);
                return r;
            }
            case gdcm.PixelFormat.ScalarType.UINT16:
            case gdcm.PixelFormat.ScalarType.INT16:
            {
                var r = new float[b.Length / 2];
                for (var i = 0; i < r.Length; i++) r[i] = Mask(BitConverter.ToUInt16(b, 2 * i), bitsStored, 16, signed);
                return r;
            }
            case gdcm.PixelFormat.ScalarType.UINT32:
            case gdcm.PixelFormat.ScalarType.INT32:
            {
                var r = new float[b.Length / 4];
                for (var i = 0; i < r.Length; i++) r[i] = Mask(BitConverter.ToUInt32(b, 4 * i), bitsStored, 32, signed);
                return r;
            }
            case gdcm.PixelFormat.ScalarType.FLOAT32:
            {
                var r = new float[b.Length / 4];
                Buffer.BlockCopy(b, 0, r, 0, b.Length);
                return r;
            }
            case gdcm.PixelFormat.ScalarType.FLOAT64:
            {
                var r = new float[b.Length / 8];
                for (var i = 0; i < r.Length; i++) r[i] = (float)BitConverter.ToDouble(b, 8 * i);
                return r;
            }
            default:
                throw new InvalidDataException($"{path}: unsupported pixel format {pf.GetScalarTypeAsString()}");
        }
    }

    /// <summary>
    /// Keeps the low BitsStored bits and sign-extends them when signed, as pydicom does: bits above BitsStored may hold
    /// overlays or garbage and must not leak into values. Exact in float for up to 24 significant bits.
    /// </summary>
    internal static float Mask(uint raw, int bitsStored, int bitsAllocated, bool signed)
    {
        if (bitsStored <= 0 || bitsStored > bitsAllocated) bitsStored = bitsAllocated;
        long v = bitsStored == 32 ? raw : raw & ((1u << bitsStored) - 1);
        if (signed && (v & (1L << (bitsStored - 1))) != 0) v -= 1L << bitsStored;
        return v;
    }
}
