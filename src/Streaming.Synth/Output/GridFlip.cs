using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Output;

/// <summary>
/// Reverses the storage order along one axis while keeping every voxel at the same physical place: the data are
/// mirrored, the direction column is negated and the origin moves to the old last voxel. Used to write "flipped" files.
/// </summary>
public static class GridFlip
{
    public static Volume<T> Flip<T>(Volume<T> v, int axis) where T : unmanaged
    {
        var g = v.Geometry;
        var n = g.Shape;
        var src = v.Data;
        var dst = new T[src.Length];
        for (var k = 0; k < n.Z; k++)
            for (var j = 0; j < n.Y; j++)
            {
                var jj = axis == 1 ? n.Y - 1 - j : j;
                var kk = axis == 2 ? n.Z - 1 - k : k;
                var s = src.AsSpan((int)n.Index(0, j, k), n.X);
                var d = dst.AsSpan((int)n.Index(0, jj, kk), n.X);
                s.CopyTo(d);
                if (axis == 0) d.Reverse();
            }
        var last = new Vec3(axis == 0 ? n.X - 1 : 0, axis == 1 ? n.Y - 1 : 0, axis == 2 ? n.Z - 1 : 0);
        var origin = g.IndexToPhysical(last.X, last.Y, last.Z);
        var cols = new[] { g.Direction.Column(0), g.Direction.Column(1), g.Direction.Column(2) };
        cols[axis] = cols[axis] * -1;
        var geometry = g with { Origin = origin, Direction = Mat3.FromColumns(cols[0], cols[1], cols[2]) };
        return new Volume<T>(geometry, dst);
    }
}
