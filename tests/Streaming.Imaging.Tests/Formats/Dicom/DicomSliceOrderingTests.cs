using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Volumes;

namespace Streaming.Imaging.Tests.Formats.Dicom;

public sealed class DicomSliceOrderingTests
{
    private static readonly Vec3 X = new(1, 0, 0), Y = new(0, 1, 0);

    private static List<SlicePlacement> Axial(params double[] z) =>
        z.Select((v, i) => new SlicePlacement($"f{i}.dcm", new Vec3(-100, -50, v))).ToList();

    [Fact]
    public void Sorts_by_position_along_the_normal_not_by_input_order()
    {
        // Input in "file name" order that runs head to feet with a shuffle: z = 10, 4, 8, 6.
        var layout = DicomSliceOrdering.Arrange("S", Axial(10, 4, 8, 6), X, Y);
        Assert.Equal([1, 3, 2, 0], layout.Order);
        Assert.Equal(2.0, layout.Step, 12);
        Assert.Equal(new Vec3(-100, -50, 4), layout.Origin);
        Assert.Equal(Mat3.Identity, layout.Direction);
    }

    [Fact]
    public void Slice_axis_is_the_normal_so_index_k_follows_increasing_projection()
    {
        // Row = +x, column = -z (a coronal slice): normal = x × -z = +y. Slices at y = 7, 4, 1.
        var col = new Vec3(0, 0, -1);
        var s = new[] { 7.0, 4.0, 1.0 }.Select((y, i) => new SlicePlacement($"c{i}", new Vec3(0, y, 0))).ToList();
        var layout = DicomSliceOrdering.Arrange("S", s, X, col);
        Assert.Equal([2, 1, 0], layout.Order);
        Assert.Equal(new Vec3(0, 1, 0), layout.Direction.Column(2));
        Assert.Equal(3.0, layout.Step, 12);
        Assert.Equal(1.0, layout.Direction.Determinant, 12);
    }

    [Fact]
    public void Rejects_a_missing_slice_and_says_where()
    {
        var e = Assert.Throws<InvalidDataException>(() => DicomSliceOrdering.Arrange("/data/s1", Axial(0, 2, 4, 8, 10, 12), X, Y));
        Assert.Contains("/data/s1", e.Message);
        Assert.Contains("missing slice(s) between f2.dcm (at 4 mm) and f3.dcm (at 8 mm)", e.Message);
        Assert.Contains("1 slice(s) are absent", e.Message);
    }

    [Fact]
    public void Rejects_uneven_spacing_beyond_tolerance_but_accepts_rounding()
    {
        var e = Assert.Throws<InvalidDataException>(() => DicomSliceOrdering.Arrange("S", Axial(0, 2, 4, 6.5, 8.5), X, Y));
        Assert.Contains("uneven slice spacing: 2.5 mm between f2.dcm and f3.dcm", e.Message);
        // 0.004 mm jitter (3-decimal positions) is within tolerance.
        var ok = DicomSliceOrdering.Arrange("S", Axial(0, 2.004, 3.998, 6.002), X, Y);
        Assert.Equal(2.0006666, ok.Step, 6);
    }

    [Fact]
    public void Rejects_gantry_tilt_with_its_angle()
    {
        // Each slice shifts 0.2 mm in y per 2 mm in z: atan(0.1) = 5.71 degrees.
        var s = Enumerable.Range(0, 4).Select(i => new SlicePlacement($"t{i}", new Vec3(0, 0.2 * i, 2.0 * i))).ToList();
        var e = Assert.Throws<InvalidDataException>(() => DicomSliceOrdering.Arrange("S", s, X, Y));
        Assert.Contains("gantry tilt", e.Message);
        Assert.Contains("5.711 degrees", e.Message);
    }

    [Fact]
    public void Rejects_duplicates_and_single_slices()
    {
        var d = Assert.Throws<InvalidDataException>(() => DicomSliceOrdering.Arrange("S", Axial(0, 2, 2, 4), X, Y));
        Assert.Contains("duplicate slice position 2 mm", d.Message);
        var one = Assert.Throws<InvalidDataException>(() => DicomSliceOrdering.Arrange("S", Axial(0), X, Y));
        Assert.Contains("1 slice(s); a volume needs at least 2", one.Message);
    }
}
