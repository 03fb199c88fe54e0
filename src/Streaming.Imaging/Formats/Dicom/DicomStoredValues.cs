namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// A volume mapped to 16-bit stored integers (little-endian bytes) by the inverse rescale, rounded half away from
/// zero and saturated: unsigned when every value is non-negative, signed otherwise (one choice for the whole volume).
/// </summary>
internal sealed record DicomStoredValues(byte[] Bytes, bool Signed)
{
    public static DicomStoredValues From(float[] data, double slope, double intercept)
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
        return new DicomStoredValues(bytes, signed);
    }
}
