using System.Globalization;
using System.Text;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Reads attribute values of a parsed file as text (GDCM's StringFilter decodes binary VRs in either byte order and
/// implicit-VR files through its dictionary), and writes text attributes into a data set.
/// </summary>
internal sealed class GdcmDataSetValues : IDisposable
{
    private readonly gdcm.File _file;
    private readonly gdcm.DataSet _dataSet;
    private readonly gdcm.StringFilter _filter = new();

    public GdcmDataSetValues(gdcm.File file)
    {
        _file = file;
        _dataSet = file.GetDataSet();
        _filter.SetFile(file);
    }

    public bool Has(DicomTag tag)
    {
        using var t = tag.ToGdcm();
        return tag.Group == 0x0002 ? HasInHeader(t) : _dataSet.FindDataElement(t);
    }

    private bool HasInHeader(gdcm.Tag t)
    {
        var header = _file.GetHeader();
        return header.FindDataElement(t);
    }

    /// <summary>The value with DICOM padding (spaces, NULs) removed; null when absent or empty.</summary>
    public string? String(DicomTag tag)
    {
        if (!Has(tag)) return null;
        using var t = tag.ToGdcm();
        var s = _filter.ToString(t);
        s = s?.Trim(' ', '\0');
        return string.IsNullOrEmpty(s) ? null : s;
    }

    /// <summary>Backslash-separated numbers (DS, IS, US...); null when absent; throws when present but unparsable.</summary>
    public double[]? Doubles(DicomTag tag)
    {
        var s = String(tag);
        if (s is null) return null;
        var parts = s.Split('\\');
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i].Trim(' ', '\0'), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new InvalidDataException($"attribute {tag} holds '{s}', which is not a list of numbers");
        return values;
    }

    public double? Double(DicomTag tag) => Doubles(tag) is { Length: > 0 } v ? v[0] : null;

    public int? Int(DicomTag tag) => Double(tag) is { } d ? (int)Math.Round(d) : null;

    public void Dispose() => _filter.Dispose();

    /// <summary>Inserts or replaces a text attribute, padded to even length as DICOM requires (UI with NUL).</summary>
    public static void Put(gdcm.DataSet ds, DicomTag tag, gdcm.VR.VRType vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1) bytes = [.. bytes, vr == gdcm.VR.VRType.UI ? (byte)0 : (byte)' '];
        using var t = tag.ToGdcm();
        using var de = new gdcm.DataElement(t);
        using var v = new gdcm.VR(vr);
        using var vl = new gdcm.VL((uint)bytes.Length);
        de.SetVR(v);
        de.SetByteValue(bytes, vl);
        ds.Replace(de);
    }

    /// <summary>A decimal string (DS) that fits the 16-character limit without losing more than it must.</summary>
    public static string DecimalString(double v)
    {
        for (var digits = 15; digits >= 6; digits--)
        {
            var s = v.ToString("G" + digits, CultureInfo.InvariantCulture);
            if (s.Length <= 16) return s;
        }
        return v.ToString("G6", CultureInfo.InvariantCulture);
    }
}
