using System.Globalization;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>One slice (a file, or a frame of a multi-frame file) placed in patient space.</summary>
public sealed record SlicePlacement(string Name, Vec3 Position);

/// <summary>
/// Where sorted slices put the volume: Order[k] is the input index of slice k; Direction's columns are the row
/// cosine, the column cosine and the slice axis (along which k increases); Step is the slice spacing in mm.
/// </summary>
public sealed record StackLayout(int[] Order, Vec3 Origin, Mat3 Direction, double Step)
{
    /// <summary>
    /// Set when the stack is not a regular grid and is to be resampled (<see cref="IrregularSlices.Resample"/>): where
    /// each sorted slice really is. Null for a regular stack.
    /// </summary>
    public IrregularStack? Irregular { get; init; }
    /// <summary>Slices of the output grid (the input slice count unless uneven spacing is resampled).</summary>
    public int OutputSlices => Irregular?.OutputSlices ?? Order.Length;
}

/// <summary>
/// The real placement of sorted slices relative to the first: Distance[k] along the slice normal (mm) and the in-plane
/// offset of slice k's first pixel from where an untilted stack would put it, in pixels along rows (X) and columns (Y).
/// </summary>
public sealed record IrregularStack(double[] Distance, (double X, double Y)[] Offset, int OutputSlices, string Description);

/// <summary>
/// Orders slices by ImagePositionPatient projected on the slice normal (never by file name, InstanceNumber or
/// SpacingBetweenSlices) and proves the result is a regular grid: no duplicates, no missing slices, even spacing,
/// no gantry tilt. Failures name the series and say where.
/// </summary>
public static class DicomSliceOrdering
{
    /// <summary>Positions closer than this along the normal are the same slice.</summary>
    public const double DuplicateToleranceMm = 1e-3;
    /// <summary>Allowed deviation of a step from the median step: the larger of these two.</summary>
    public const double SpacingToleranceMm = 0.01, SpacingToleranceRelative = 0.01;
    /// <summary>Allowed angle between the stacking direction and the slice normal, and the in-plane drift always allowed (rounding of positions).</summary>
    public const double TiltToleranceDegrees = 0.1, InPlaneDriftToleranceMm = 0.01;

    public static StackLayout Arrange(string series, IReadOnlyList<SlicePlacement> slices, Vec3 rowCosine, Vec3 columnCosine) =>
        Arrange(series, slices, rowCosine, columnCosine, SliceGridOptions.RejectIrregular, (1, 1));

    /// <summary>
    /// Orders the slices; a tilted or unevenly spaced stack is described for resampling (<see cref="StackLayout.Irregular"/>)
    /// when <paramref name="grid"/> allows it, otherwise refused. Duplicates and missing slices (a gap that is a whole
    /// multiple of the usual step: an incomplete series) are refused either way. <paramref name="pixelSpacing"/> is
    /// (column spacing, row spacing) in mm, to express in-plane offsets in pixels.
    /// </summary>
    public static StackLayout Arrange(string series, IReadOnlyList<SlicePlacement> slices, Vec3 rowCosine, Vec3 columnCosine,
        SliceGridOptions grid, (double Column, double Row) pixelSpacing)
    {
        var resample = grid.Irregular == IrregularSlices.Resample;
        if (slices.Count < 2)
            throw new InvalidDataException($"DICOM series {series}: {slices.Count} slice(s); a volume needs at least 2 (or one multi-frame file)");
        rowCosine = rowCosine.Normalized();
        columnCosine = columnCosine.Normalized();
        var normal = rowCosine.Cross(columnCosine);
        if (normal.Norm < 0.5 || Math.Abs(rowCosine.Dot(columnCosine)) > 1e-3)
            throw new InvalidDataException($"DICOM series {series}: ImageOrientationPatient row {rowCosine} and column {columnCosine} cosines are not orthonormal");
        normal = normal.Normalized();

        var d = slices.Select(s => s.Position.Dot(normal)).ToArray();
        var order = Enumerable.Range(0, slices.Count).OrderBy(i => d[i]).ToArray();
        var steps = new double[order.Length - 1];
        for (var k = 0; k + 1 < order.Length; k++)
        {
            steps[k] = d[order[k + 1]] - d[order[k]];
            if (steps[k] < DuplicateToleranceMm)
                throw new InvalidDataException(
                    $"DICOM series {series}: duplicate slice position {F(d[order[k]])} mm along the normal in {slices[order[k]].Name} and {slices[order[k + 1]].Name}");
        }

        var median = Median(steps);
        var uneven = false;
        var tolerance = Math.Max(SpacingToleranceMm, SpacingToleranceRelative * median);
        for (var k = 0; k < steps.Length; k++)
        {
            if (Math.Abs(steps[k] - median) <= tolerance) continue;
            var a = slices[order[k]]; var b = slices[order[k + 1]];
            var ratio = steps[k] / median;
            var whole = Math.Round(ratio);
            if (whole >= 2 && Math.Abs(steps[k] - whole * median) <= tolerance * whole)
                throw new InvalidDataException(
                    $"DICOM series {series}: missing slice(s) between {a.Name} (at {F(d[order[k]])} mm) and {b.Name} (at {F(d[order[k + 1]])} mm): " +
                    $"gap {F(steps[k])} mm is {whole:0}x the median step {F(median)} mm, so {whole - 1:0} slice(s) are absent");
            if (resample) { uneven = true; continue; }
            throw new InvalidDataException(
                $"DICOM series {series}: uneven slice spacing: {F(steps[k])} mm between {a.Name} and {b.Name}, median step {F(median)} mm (tolerance {F(tolerance)} mm)");
        }

        var first = slices[order[0]].Position;
        var worstAngle = 0.0; var worstName = "";
        for (var k = 1; k < order.Length; k++)
        {
            var delta = slices[order[k]].Position - first;
            var along = delta.Dot(normal);
            var inPlane = (delta - normal * along).Norm;
            if (inPlane <= InPlaneDriftToleranceMm) continue;
            var angle = Math.Atan2(inPlane, Math.Abs(along)) * 180 / Math.PI;
            if (angle > worstAngle) { worstAngle = angle; worstName = slices[order[k]].Name; }
        }
        var tilted = worstAngle > TiltToleranceDegrees;
        if (tilted && !resample)
            throw new InvalidDataException(
                $"DICOM series {series}: gantry tilt or sheared stack: slice positions move {F(worstAngle)} degrees off the slice normal (at {worstName}); " +
                "ingest without --reject-irregular-slices resamples it onto a regular grid");

        var direction = Mat3.FromColumns(rowCosine, columnCosine, normal);
        var span = d[order[^1]] - d[order[0]];
        if (!tilted && !uneven) return new StackLayout(order, first, direction, span / (order.Length - 1));

        var distance = order.Select(i => d[i] - d[order[0]]).ToArray();
        var offsets = order.Select(i =>
        {
            var delta = slices[i].Position - first;
            var inPlane = delta - normal * delta.Dot(normal);
            return (inPlane.Dot(rowCosine) / pixelSpacing.Column, inPlane.Dot(columnCosine) / pixelSpacing.Row);
        }).ToArray();
        var step = span / (order.Length - 1);
        var outputSlices = order.Length;
        var parts = new List<string>();
        if (tilted) parts.Add($"gantry tilt {F(worstAngle)} degrees corrected (slices shifted in-plane onto an untilted grid)");
        if (uneven)
        {
            var smallest = steps.Min();
            outputSlices = (int)Math.Min(Math.Round(span / smallest) + 1, Math.Ceiling(grid.MaxSliceGrowth * order.Length));
            step = span / (outputSlices - 1);
            parts.Add($"uneven slice spacing ({F(steps.Min())}..{F(steps.Max())} mm) resampled from the real positions to {outputSlices} slices {F(step)} mm apart");
        }
        return new StackLayout(order, first, direction, step)
        {
            Irregular = new IrregularStack(distance, offsets, outputSlices, string.Join("; ", parts)),
        };
    }

    private static double Median(double[] v)
    {
        var s = v.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
