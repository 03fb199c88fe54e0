using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Writes a volume as one Enhanced CT/MR multi-frame file through GDCM, which fills the functional groups
/// (per-frame PlanePositionSequence, shared orientation, pixel measures and rescale). Storage rules as
/// <see cref="DicomSeriesWriter"/>; options.FileNamePattern is not used.
/// </summary>
public static class DicomMultiFrameWriter
{
    public static string Write(string path, Volume<float> image, DicomSeriesWriteOptions options)
    {
        GdcmImageFileWriter.ValidateInput(image, options);
        GdcmNativeResolver.EnsureRegistered();
        var g = image.Geometry;
        if (g.Shape.Z < 2) throw new ArgumentException("a multi-frame file needs at least 2 slices");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

        // GDCM places frame k at origin + k * spacing_z * (row × column); a left-handed direction runs the other
        // way, so write the slices in reverse from the last one to describe the same voxels.
        var row = g.Direction.Column(0); var col = g.Direction.Column(1);
        var reversed = row.Cross(col).Dot(g.Direction.Column(2)) < 0;
        var data = reversed ? ReverseSlices(image) : image.Data;
        var origin = g.IndexToPhysical(0, 0, reversed ? g.Shape.Z - 1 : 0);
        var stored = DicomStoredValues.From(data, options.RescaleSlope, options.RescaleIntercept);
        using var uids = new gdcm.UIDGenerator();
        var file = new GdcmImageFile(g.Shape.X, g.Shape.Y, g.Shape.Z, stored.Signed, stored.Bytes,
            origin, row, col, g.Spacing, 1, uids.Generate(),
            options.StudyInstanceUid ?? uids.Generate(), options.SeriesInstanceUid ?? uids.Generate(), uids.Generate());
        GdcmImageFileWriter.WriteAtomically(path, file, options);
        return Path.GetFullPath(path);
    }

    private static float[] ReverseSlices(Volume<float> v)
    {
        var n = v.Shape.X * v.Shape.Y;
        var r = new float[v.Data.Length];
        for (var z = 0; z < v.Shape.Z; z++)
            Array.Copy(v.Data, (long)z * n, r, (long)(v.Shape.Z - 1 - z) * n, n);
        return r;
    }
}
