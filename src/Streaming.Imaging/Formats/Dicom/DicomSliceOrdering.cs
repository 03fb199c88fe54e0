using System.Globalization;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Formats.Dicom;

/// <summary>One slice (a file, or a frame of a multi-frame file) placed in patient space.</summary>
public sealed record SlicePlacement(string Name, Vec3 Position);

/// <summary>
/// Where sorted slices put the volume: Order[k] is the input index of slice k; Direction's columns are the row
/// cosine, the column cosine and the slice axis (along which k increases); Step is the slice spacing in mm.
/// </summary>
public sealed record StackLayout(int[] Order, Vec3 Origin, Mat3 Direction, double Step);

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

    public static StackLayout Arrange(string series, IReadOnlyList<SlicePlacement> slices, Vec3 rowCosine, Vec3 columnCosine)
    {
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
        if (worstAngle > TiltToleranceDegrees)
            throw new InvalidDataException(
                $"DICOM series {series}: gantry tilt or sheared stack: slice positions move {F(worstAngle)} degrees off the slice normal (at {worstName}); tilted series are not supported");

        var step = (d[order[^1]] - d[order[0]]) / (order.Length - 1);
        return new StackLayout(order, first, Mat3.FromColumns(rowCosine, columnCosine, normal), step);
    }

    private static double Median(double[] v)
    {
        var s = v.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
