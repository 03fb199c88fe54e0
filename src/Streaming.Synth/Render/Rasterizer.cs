using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Render;

/// <summary>
/// Paints scene elements into tissue and label maps on a canonical grid (identity direction), one row span at a time
/// and only inside each element's bounding box. A voxel belongs to a solid when its centre does; partial-volume
/// effects come later from the blur in the intensity simulation.
/// </summary>
public static class Rasterizer
{
    public static (byte[] Tissue, byte[] Labels) Paint(PhantomScene scene, VolumeGeometry g, CancellationToken ct = default)
    {
        if (!g.Direction.ApproximatelyEquals(Mat3.Identity))
            throw new ArgumentException("the rasterizer paints on a canonical grid (identity direction)");
        var n = g.Shape;
        var tissue = new byte[n.Volume];
        var labels = new byte[n.Volume];
        foreach (var el in scene.Elements)
        {
            ct.ThrowIfCancellationRequested();
            Paint(el, g, tissue, labels);
        }
        return (tissue, labels);
    }

    private static void Paint(SceneElement el, VolumeGeometry g, byte[] tissue, byte[] labels)
    {
        var n = g.Shape; var sp = g.Spacing; var o = g.Origin;
        var s = el.Shape;
        var (k0, k1) = Range(s.Min.Z, s.Max.Z, o.Z, sp.Z, n.Z);
        var (j0, j1) = Range(s.Min.Y, s.Max.Y, o.Y, sp.Y, n.Y);
        if (k0 > k1 || j0 > j1) return;
        var t = (byte)el.Tissue;
        var mask = el.OnlyInto;
        var keep = el.Label == SceneElement.KeepLabel;
        for (var k = k0; k <= k1; k++)
        {
            var z = o.Z + k * sp.Z;
            for (var j = j0; j <= j1; j++)
            {
                var y = o.Y + j * sp.Y;
                if (!s.Span(y, z, out var x0, out var x1)) continue;
                var i0 = (int)Math.Ceiling((x0 - o.X) / sp.X);
                var i1 = (int)Math.Floor((x1 - o.X) / sp.X);
                if (i0 < 0) i0 = 0;
                if (i1 >= n.X) i1 = n.X - 1;
                if (i0 > i1) continue;
                var row = (int)n.Index(0, j, k);
                var ts = tissue.AsSpan(row + i0, i1 - i0 + 1);
                var ls = labels.AsSpan(row + i0, i1 - i0 + 1);
                if (mask == 0)
                {
                    ts.Fill(t);
                    if (!keep) ls.Fill(el.Label);
                    continue;
                }
                for (var i = 0; i < ts.Length; i++)
                {
                    if ((mask >> ts[i] & 1) == 0) continue;
                    ts[i] = t;
                    if (!keep) ls[i] = el.Label;
                }
            }
        }
    }

    /// <summary>Voxel index range whose centres fall in [lo, hi] along one axis, clipped to the grid.</summary>
    private static (int, int) Range(double lo, double hi, double origin, double spacing, int count)
    {
        if (double.IsInfinity(lo) || lo < origin - spacing) lo = origin - spacing;
        if (double.IsInfinity(hi) || hi > origin + count * spacing) hi = origin + count * spacing;
        var a = Math.Max(0, (int)Math.Ceiling((lo - origin) / spacing));
        var b = Math.Min(count - 1, (int)Math.Floor((hi - origin) / spacing));
        return (a, b);
    }
}
