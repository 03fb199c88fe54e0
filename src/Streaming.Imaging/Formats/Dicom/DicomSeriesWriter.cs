using System.Globalization;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Writes a volume as a classic single-frame DICOM series (one file per z slice) through GDCM: IOP from Direction
/// columns 0 and 1, IPP of each slice from the geometry, PixelSpacing, SliceThickness, InstanceNumber = z + 1, all UIDs.
/// Values are stored as 16-bit integers after the inverse rescale (rounded, saturated): unsigned when every stored
/// value is non-negative, signed otherwise, one choice for the whole series. Each file is written to a temporary name
/// and renamed.
/// </summary>
public static class DicomSeriesWriter
{
    /// <summary>Writes the files into folder (created if missing) and returns their paths in slice (z) order.</summary>
    public static IReadOnlyList<string> Write(string folder, Volume<float> image, DicomSeriesWriteOptions options)
    {
        GdcmImageFileWriter.ValidateInput(image, options);
        GdcmNativeResolver.EnsureRegistered();
        Directory.CreateDirectory(folder);

        var g = image.Geometry;
        var stored = DicomStoredValues.From(image.Data, options.RescaleSlope, options.RescaleIntercept);
        using var uids = new gdcm.UIDGenerator();
        var study = options.StudyInstanceUid ?? uids.Generate();
        var series = options.SeriesInstanceUid ?? uids.Generate();
        var frameOfReference = uids.Generate();
        var sliceBytes = g.Shape.X * g.Shape.Y * 2;
        var paths = new List<string>(g.Shape.Z);
        for (var z = 0; z < g.Shape.Z; z++)
        {
            var path = Path.Combine(folder, string.Format(CultureInfo.InvariantCulture, options.FileNamePattern, z + 1));
            var file = new GdcmImageFile(g.Shape.X, g.Shape.Y, 1, stored.Signed, stored.Bytes.AsMemory(z * sliceBytes, sliceBytes),
                g.IndexToPhysical(0, 0, z), g.Direction.Column(0), g.Direction.Column(1), g.Spacing,
                z + 1, uids.Generate(), study, series, frameOfReference);
            GdcmImageFileWriter.WriteAtomically(path, file, options);
            paths.Add(path);
        }
        return paths;
    }
}
