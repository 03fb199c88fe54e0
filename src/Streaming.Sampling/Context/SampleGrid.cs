using Streaming.Imaging.Volumes;

namespace Streaming.Sampling.Context;

/// <summary>One axis of a <see cref="SampleGrid"/>: which volume axis (0 = x, 1 = y, 2 = z), how many samples, and the
/// span from the first to the last sample in normalised units (samples at center ± span/2, evenly spaced).</summary>
public readonly record struct GridAxis(int Axis, int Count, double Span)
{
    /// <summary>Offset of sample k from the centre (0 for a single sample).</summary>
    public double Offset(int k) => Count == 1 ? 0 : Span * (k / (double)(Count - 1) - 0.5);
}

/// <summary>
/// An axis-aligned grid of sample points in the normalised frame of a volume (every axis mapped to [-1, 1], -1 and 1
/// the centres of the first and last voxel, as grid_sample with align_corners = true). Written C-order: Slow, Mid,
/// Fast. A planar patch is (normal: 3 planes, v: 42 rows, u: 42 columns); a Doersch cube is (z, y, x), 25 each.
/// </summary>
public sealed record SampleGrid(Vec3 Center, GridAxis Slow, GridAxis Mid, GridAxis Fast)
{
    public int Count => Slow.Count * Mid.Count * Fast.Count;

    public GridAxis[] Axes => [Slow, Mid, Fast];

    /// <summary>The planar patch whose normal is volume axis <paramref name="normal"/>: channels along the normal,
    /// rows along the larger remaining axis, columns along the smaller (z-normal: rows y, columns x, like an axial slice).</summary>
    public static SampleGrid Planar(Vec3 center, int normal, int size, double side, int planes, double depth)
    {
        var (u, v) = InPlaneAxes(normal);
        return new SampleGrid(center, new GridAxis(normal, planes, depth), new GridAxis(v, size, side), new GridAxis(u, size, side));
    }

    public static SampleGrid Cube(Vec3 center, int size, double side) =>
        new(center, new GridAxis(2, size, side), new GridAxis(1, size, side), new GridAxis(0, size, side));

    /// <summary>The in-plane axes of a normal: (u, v) = the other two in increasing order; d1 is along u, d2 along v.</summary>
    public static (int U, int V) InPlaneAxes(int normal) => normal switch
    {
        0 => (1, 2),
        1 => (0, 2),
        2 => (0, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(normal), "normal must be 0 (x), 1 (y) or 2 (z)"),
    };

    /// <summary>Normalised coordinate of sample k along grid axis a.</summary>
    public double Coordinate(GridAxis a, int k) => Center[a.Axis] + a.Offset(k);
}
