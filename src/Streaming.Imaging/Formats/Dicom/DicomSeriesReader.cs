using System.Globalization;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>
/// Reads the files of one DICOM series (or one multi-frame file) into a volume in physical units
/// (stored value × RescaleSlope + RescaleIntercept, per slice) with its LPS geometry:
/// Direction columns = row cosine, column cosine, slice axis; Origin = ImagePositionPatient of the first sorted slice;
/// Spacing = (column spacing, row spacing, slice step). Slices are sorted by position along the normal.
/// Any doubt about the grid (mixed series, gaps, uneven spacing, tilt, inconsistent slices) is an
/// <see cref="InvalidDataException"/> naming the series folder and the reason.
/// </summary>
public static class DicomSeriesReader
{
    private const double OrientationTolerance = 1e-3, PixelSpacingTolerance = 1e-4;

    public static LoadedImage Read(IReadOnlyList<string> files, CancellationToken ct = default) => Read(files, InProcessGdcm.Instance, ct);

    /// <summary>Reads the series with every GDCM call going through <paramref name="gdcm"/> (a crash-isolated worker during ingest).</summary>
    public static LoadedImage Read(IReadOnlyList<string> files, IGdcmAccess gdcm, CancellationToken ct = default) =>
        Read(files, gdcm, SliceGridOptions.Default, ct);

    public static LoadedImage Read(IReadOnlyList<string> files, IGdcmAccess gdcm, SliceGridOptions grid, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(gdcm);
        if (files.Count == 0) throw new InvalidDataException("DICOM series: no files given");
        var series = SeriesLabel(files);
        try
        {
            var headers = new List<DicomHeader>(files.Count);
            foreach (var r in gdcm.ReadHeaders(files, ct))
            {
                if (r.Header is null) throw new InvalidDataException($"{r.Path}: {r.Error}");
                if (NonImageObjects.Reason(r.Header) is { } why) throw new InvalidDataException($"{r.Path}: {why}");
                headers.Add(r.Header);
            }
            var uids = headers.GroupBy(h => h.SeriesKey, StringComparer.Ordinal).ToList();
            if (uids.Count > 1)
                throw new InvalidDataException($"files of {uids.Count} series are mixed: " +
                    string.Join(", ", uids.Select(g => $"{g.Key} ({g.Count()} files)")));
            if (headers.Count == 1 && headers[0].NumberOfFrames > 1)
                return DicomMultiFrameReader.Read(series, headers[0], gdcm, grid, ct);
            if (headers.FirstOrDefault(h => h.NumberOfFrames > 1) is { } mf)
                throw new InvalidDataException($"{Path.GetFileName(mf.Path)} is a multi-frame file ({mf.NumberOfFrames} frames) among {headers.Count} files; read it on its own");
            CheckConsistent(headers);
            return ReadSingleFrames(series, headers, gdcm, grid, ct);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith("DICOM series ", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"DICOM series {series}: {e.Message}", e);
        }
    }

    private static LoadedImage ReadSingleFrames(string series, List<DicomHeader> headers, IGdcmAccess gdcm, SliceGridOptions grid, CancellationToken ct)
    {
        var h0 = headers[0];
        var (rowSpacing, colSpacing) = h0.PixelSpacing!.Value;
        var layout = DicomSliceOrdering.Arrange(series,
            headers.Select(h => new SlicePlacement(Path.GetFileName(h.Path), h.Position!.Value)).ToList(),
            h0.RowCosine!.Value, h0.ColumnCosine!.Value, grid, (colSpacing, rowSpacing));
        var shape = new Int3(h0.Columns, h0.Rows, headers.Count);
        CheckSize(series, shape with { Z = Math.Max(shape.Z, layout.OutputSlices) });
        var geometry = new VolumeGeometry(shape with { Z = layout.OutputSlices }, new Vec3(colSpacing, rowSpacing, layout.Step), layout.Origin, layout.Direction);
        geometry.Validate();

        var data = new float[shape.Volume];
        var frameLength = h0.Columns * h0.Rows;
        var lossy = false;
        var slopes = new HashSet<double>(); var intercepts = new HashSet<double>();
        string pixelFormat = "";
        var ordered = layout.Order.Select(i => headers[i]).ToList();
        gdcm.Decode(ordered.Select(h => h.Path).ToList(), (k, px) =>
        {
            var h = ordered[k];
            if (px.Columns != h0.Columns || px.Rows != h0.Rows || px.Frames != 1)
                throw new InvalidDataException($"{h.Path}: decoded image is {px.Columns}x{px.Rows}x{px.Frames}, header says {h0.Columns}x{h0.Rows}x1");
            var (slope, intercept) = h.HasRescale ? (h.RescaleSlope, h.RescaleIntercept) : (px.GdcmSlope, px.GdcmIntercept);
            Rescale(px.Stored, 0, data, (long)k * frameLength, frameLength, slope, intercept);
            slopes.Add(slope); intercepts.Add(intercept);
            lossy |= px.Lossy;
            pixelFormat = px.PixelFormat;
        }, ct);
        if (layout.Irregular is { } irregular)
            data = SliceStackResampler.Apply(data, shape.X, shape.Y, irregular, layout.Step, Min(data));

        var meta = BaseMetadata(series, h0, headers.Select(h => h.TransferSyntaxUid));
        meta["sliceGrid"] = layout.Irregular?.Description ?? "regular";
        meta["sliceCount"] = Inv(headers.Count);
        meta["sliceStep"] = Inv(layout.Step);
        meta["multiFrame"] = "false";
        meta["lossy"] = lossy ? "true" : "false";
        meta["pixelFormat"] = pixelFormat;
        meta["rescaleSlope"] = string.Join(";", slopes.Select(Inv));
        meta["rescaleIntercept"] = string.Join(";", intercepts.Select(Inv));
        return new LoadedImage(new Volume<float>(geometry, data), meta);
    }

    /// <summary>Every slice must share rows/columns, orientation and pixel spacing, and carry a position.</summary>
    private static void CheckConsistent(List<DicomHeader> headers)
    {
        var h0 = headers[0];
        foreach (var h in headers)
        {
            var name = Path.GetFileName(h.Path);
            if (h.SamplesPerPixel != 1)
                throw new InvalidDataException($"{name} has {h.SamplesPerPixel} samples per pixel; only grey-level images are supported");
            if (h.Rows <= 0 || h.Columns <= 0)
                throw new InvalidDataException($"{name} is not an image (no Rows/Columns)");
            if (h.Rows != h0.Rows || h.Columns != h0.Columns)
                throw new InvalidDataException($"inconsistent image size: {name} is {h.Columns}x{h.Rows}, {Path.GetFileName(h0.Path)} is {h0.Columns}x{h0.Rows}");
            if (h.RowCosine is null || h.ColumnCosine is null)
                throw new InvalidDataException($"{name} has no ImageOrientationPatient");
            if (h.Position is null)
                throw new InvalidDataException($"{name} has no ImagePositionPatient");
            if (h.PixelSpacing is null)
                throw new InvalidDataException($"{name} has no PixelSpacing");
            if (!Near(h.RowCosine.Value, h0.RowCosine!.Value, OrientationTolerance) || !Near(h.ColumnCosine.Value, h0.ColumnCosine!.Value, OrientationTolerance))
                throw new InvalidDataException($"inconsistent orientation: {name} has row {h.RowCosine} column {h.ColumnCosine}, " +
                    $"{Path.GetFileName(h0.Path)} has row {h0.RowCosine} column {h0.ColumnCosine}");
            var (r, c) = h.PixelSpacing.Value; var (r0, c0) = h0.PixelSpacing!.Value;
            if (Math.Abs(r - r0) > PixelSpacingTolerance * r0 || Math.Abs(c - c0) > PixelSpacingTolerance * c0)
                throw new InvalidDataException($"inconsistent PixelSpacing: {name} has {Inv(r)}\\{Inv(c)}, {Path.GetFileName(h0.Path)} has {Inv(r0)}\\{Inv(c0)}");
        }
    }

    /// <summary>Refuses a grid that one array cannot hold before anything is allocated (headers can claim anything).</summary>
    internal static void CheckSize(string series, Int3 shape)
    {
        if (shape.Volume > Array.MaxLength)
            throw new InvalidDataException($"{shape} = {shape.Volume} voxels is more than one volume can hold ({Array.MaxLength}); the headers are wrong or the series is not a volume");
    }

    /// <summary>The smallest value: what pixels shifted in from outside a tilted slice become (air / background).</summary>
    internal static float Min(float[] data)
    {
        var m = float.MaxValue;
        foreach (var v in data) if (v < m) m = v;
        return m;
    }

    internal static void Rescale(float[] stored, long from, float[] into, long at, long count, double slope, double intercept)
    {
        if (slope == 1 && intercept == 0) { Array.Copy(stored, from, into, at, count); return; }
        for (long i = 0; i < count; i++) into[at + i] = (float)(stored[from + i] * slope + intercept);
    }

    internal static Dictionary<string, string> BaseMetadata(string series, DicomHeader h0, IEnumerable<string?> transferSyntaxes)
    {
        var meta = new Dictionary<string, string>
        {
            ["format"] = "dicom",
            ["seriesFolder"] = series,
            ["seriesKey"] = h0.SeriesKey,
            ["transferSyntaxUid"] = string.Join(";", transferSyntaxes.Where(t => t is not null).Distinct()),
        };
        if (h0.SeriesInstanceUid is { } uid) meta["seriesInstanceUid"] = uid;
        if (h0.StudyInstanceUid is { } study) meta["studyInstanceUid"] = study;
        if (h0.PatientId is { } patient) meta["patientId"] = patient;
        if (h0.Modality is { } modality) meta["modality"] = modality;
        if (h0.SeriesDescription is { } description) meta["seriesDescription"] = description;
        return meta;
    }

    internal static string SeriesLabel(IReadOnlyList<string> files)
    {
        var dirs = files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f)) ?? f).Distinct().ToList();
        return dirs.Count == 1 ? dirs[0] : $"{dirs[0]} (+{dirs.Count - 1} other folders)";
    }

    private static bool Near(Vec3 a, Vec3 b, double tol) => Math.Abs(a.X - b.X) <= tol && Math.Abs(a.Y - b.Y) <= tol && Math.Abs(a.Z - b.Z) <= tol;

    internal static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    internal static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);
}
