using System.Globalization;
using System.Text;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Per-frame attributes of enhanced multi-frame files (PerFrameFunctionalGroupsSequence, falling back to
/// SharedFunctionalGroupsSequence): frame positions and rescale. GDCM's image gives one origin for the whole file,
/// which says nothing about frame order or gaps, so the positions are read here.
/// </summary>
internal static class GdcmFunctionalGroups
{
    private static readonly DicomTag SharedGroups = new(0x5200, 0x9229);
    private static readonly DicomTag PerFrameGroups = new(0x5200, 0x9230);
    private static readonly DicomTag PlanePositionSequence = new(0x0020, 0x9113);
    private static readonly DicomTag PixelValueTransformationSequence = new(0x0028, 0x9145);
    private static readonly DicomTag PlaneOrientationSequence = new(0x0020, 0x9116);
    private static readonly DicomTag PixelMeasuresSequence = new(0x0028, 0x9110);

    /// <summary>ImageOrientationPatient from the shared groups, else from the first frame; null when absent.</summary>
    public static double[]? Orientation(gdcm.DataSet ds) =>
        PerFrameValue(ds, 0, PlaneOrientationSequence, DicomTag.ImageOrientationPatient, shared: true);

    /// <summary>PixelSpacing (row, column) from the shared groups, else from the first frame; null when absent.</summary>
    public static double[]? PixelSpacing(gdcm.DataSet ds) =>
        PerFrameValue(ds, 0, PixelMeasuresSequence, DicomTag.PixelSpacing, shared: true);

    /// <summary>ImagePositionPatient of each frame; null when the file does not carry one per frame.</summary>
    public static Vec3[]? FramePositions(gdcm.DataSet ds, int frames)
    {
        var result = new Vec3[frames];
        for (var f = 0; f < frames; f++)
        {
            var v = PerFrameValue(ds, f, PlanePositionSequence, DicomTag.ImagePositionPatient, shared: false);
            if (v is not { Length: 3 }) return null;
            result[f] = Vec3.FromArray(v);
        }
        return result;
    }

    /// <summary>(slope, intercept) of each frame, per-frame first then shared; null when neither has them.</summary>
    public static (double Slope, double Intercept)[]? FrameRescale(gdcm.DataSet ds, int frames)
    {
        var result = new (double, double)[frames];
        for (var f = 0; f < frames; f++)
        {
            var slope = PerFrameValue(ds, f, PixelValueTransformationSequence, DicomTag.RescaleSlope, shared: true);
            var intercept = PerFrameValue(ds, f, PixelValueTransformationSequence, DicomTag.RescaleIntercept, shared: true);
            if (slope is not { Length: 1 } && intercept is not { Length: 1 }) return null;
            result[f] = (slope is { Length: 1 } && slope[0] != 0 ? slope[0] : 1, intercept is { Length: 1 } ? intercept[0] : 0);
        }
        return result;
    }

    private static double[]? PerFrameValue(gdcm.DataSet ds, int frame, DicomTag macro, DicomTag attribute, bool shared)
    {
        if (InItem(ds, PerFrameGroups, frame + 1, group => Numbers(group, macro, attribute)) is { } v) return v;
        return shared ? InItem(ds, SharedGroups, 1, group => Numbers(group, macro, attribute)) : null;
    }

    private static double[]? Numbers(gdcm.DataSet group, DicomTag macro, DicomTag attribute)
    {
        var text = InItem(group, macro, 1, item => Text(item, attribute));
        if (text is null) return null;
        var parts = text.Split('\\');
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i].Trim(' ', '\0'), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])) return null;
        return values;
    }

    /// <summary>
    /// Runs read on the data set of item (1-based) of a sequence attribute; null when absent. The sequence handle
    /// stays alive while read runs: for implicit-VR files GDCM may build the sequence on demand and free it with the handle.
    /// </summary>
    private static T? InItem<T>(gdcm.DataSet ds, DicomTag sequence, int item, Func<gdcm.DataSet, T?> read) where T : class
    {
        using var tag = sequence.ToGdcm();
        if (!ds.FindDataElement(tag)) return null;
        var element = ds.GetDataElement(tag);
        using var sq = element.GetValueAsSQ();
        var items = sq?.GetPointer(); // null when the attribute is not a sequence
        if (items is null || items.GetNumberOfItems() < item) return null;
        return read(items.GetItem((uint)item).GetNestedDataSet());
    }

    private static string? Text(gdcm.DataSet ds, DicomTag attribute)
    {
        using var tag = attribute.ToGdcm();
        if (!ds.FindDataElement(tag)) return null;
        var element = ds.GetDataElement(tag);
        var bv = element.GetByteValue();
        if (bv is null) return null;
        var length = (uint)bv.GetLength();
        var bytes = new byte[length];
        if (length == 0 || !bv.GetBuffer(bytes, length)) return null;
        var s = Encoding.ASCII.GetString(bytes).Trim(' ', '\0');
        return s.Length == 0 ? null : s;
    }
}
