using Streaming.Imaging.Io;
using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Pictures;

/// <summary>One row of a figure: an image, its optional label map on the same grid, and where to cut it.</summary>
public sealed record PictureRow(Volume<float> Image, Volume<byte>? Labels = null, Vec3? Cut = null);

/// <summary>
/// Draws axial, coronal and sagittal slices of one or more volumes (one row each) at a CT window with a coloured label
/// overlay. Slices are resampled in physical LPS space (nearest neighbour), so any direction matrix or flip displays
/// in radiological convention: patient right on the image left, anterior up (axial), superior up (coronal, sagittal).
/// </summary>
public static class PhantomPicture
{
    private static readonly byte[][] Palette =
    [
        [0, 0, 0], [230, 90, 60], [140, 60, 200], [250, 200, 40], [240, 150, 40], [60, 200, 90], [250, 120, 200],
        [40, 220, 220], [230, 30, 30], [60, 90, 240], [120, 200, 250], [160, 250, 160], [250, 250, 210], [200, 170, 120],
        [180, 120, 60], [255, 0, 255], [200, 40, 90], [170, 60, 60], [240, 240, 120], [90, 160, 90],
    ];

    /// <summary>Renders the rows to a PNG; each panel row is about <paramref name="panelHeight"/> pixels high.</summary>
    public static void Render(string pngPath, IReadOnlyList<PictureRow> rows, double window = 400, double level = 40,
        double overlayAlpha = 0.3, int panelHeight = 300)
    {
        if (rows.Count == 0) throw new ArgumentException("no rows to draw");
        var panels = rows.Select(r => Panels(r, window, level, overlayAlpha, panelHeight)).ToList();
        const int gap = 6;
        var width = panels.Max(p => p.Sum(x => x.W) + gap * (p.Count + 1));
        var height = panels.Sum(p => p.Max(x => x.H)) + gap * (panels.Count + 1);
        var canvas = new byte[width * height * 3];
        Array.Fill(canvas, (byte)24);
        var y0 = gap;
        foreach (var row in panels)
        {
            var x0 = gap;
            foreach (var (w, h, rgb) in row)
            {
                for (var y = 0; y < h; y++)
                    rgb.AsSpan(y * w * 3, w * 3).CopyTo(canvas.AsSpan(((y0 + y) * width + x0) * 3));
                x0 += w + gap;
            }
            y0 += row.Max(x => x.H) + gap;
        }
        PngWriter.WriteRgb(pngPath, width, height, canvas);
    }

    private static List<(int W, int H, byte[] Rgb)> Panels(PictureRow row, double window, double level, double alpha, int panelHeight)
    {
        var g = row.Image.Geometry;
        var (lo, hi) = PhysicalBounds(g);
        var size = hi - lo;
        var cut = row.Cut ?? (lo + hi) * 0.5;
        // One pixel size for all three panels of a row so that anatomy keeps its proportions.
        var mm = Math.Max(size.Y, size.Z) / panelHeight;
        mm = Math.Max(mm, size.X / (panelHeight * 1.4));
        int W(double extent) => Math.Max(1, (int)Math.Round(extent / mm));
        var list = new List<(int, int, byte[])>
        {
            // Axial: u → +x (patient left), v → +y (posterior).
            Draw(row, W(size.X), W(size.Y), (u, v) => new Vec3(lo.X + u * mm, lo.Y + v * mm, cut.Z), window, level, alpha),
            // Coronal: u → +x, v → −z (superior at the top).
            Draw(row, W(size.X), W(size.Z), (u, v) => new Vec3(lo.X + u * mm, cut.Y, hi.Z - v * mm), window, level, alpha),
            // Sagittal: u → +y (anterior on the left), v → −z.
            Draw(row, W(size.Y), W(size.Z), (u, v) => new Vec3(cut.X, lo.Y + u * mm, hi.Z - v * mm), window, level, alpha),
        };
        return list;
    }

    private static (int, int, byte[]) Draw(PictureRow row, int w, int h, Func<double, double, Vec3> at, double window, double level, double alpha)
    {
        var g = row.Image.Geometry;
        var inv = g.Direction.Inverse();
        var rgb = new byte[w * h * 3];
        var lowest = level - window / 2;
        for (var v = 0; v < h; v++)
            for (var u = 0; u < w; u++)
            {
                var p = at(u + 0.5, v + 0.5);
                var d = inv * (p - g.Origin);
                var i = (int)Math.Round(d.X / g.Spacing.X);
                var j = (int)Math.Round(d.Y / g.Spacing.Y);
                var k = (int)Math.Round(d.Z / g.Spacing.Z);
                var o = (v * w + u) * 3;
                if (!g.Shape.Contains(new Int3(i, j, k))) continue;
                var idx = g.Shape.Index(i, j, k);
                var gray = Math.Clamp((row.Image.Data[idx] - lowest) / window, 0, 1) * 255;
                double r = gray, gg = gray, b = gray;
                if (row.Labels is { } lab && lab.Data[idx] is var l and > 0)
                {
                    var c = Palette[l % Palette.Length == 0 ? 1 : l % Palette.Length];
                    r = (1 - alpha) * r + alpha * c[0]; gg = (1 - alpha) * gg + alpha * c[1]; b = (1 - alpha) * b + alpha * c[2];
                }
                rgb[o] = (byte)r; rgb[o + 1] = (byte)gg; rgb[o + 2] = (byte)b;
            }
        return (w, h, rgb);
    }

    /// <summary>Physical centroid of the voxels carrying any of the labels; NaN when none does.</summary>
    public static Vec3 Centroid(Volume<byte> labels, params byte[] ids)
    {
        var want = new bool[256];
        foreach (var id in ids) want[id] = true;
        double x = 0, y = 0, z = 0; long n = 0;
        var s = labels.Shape;
        for (var k = 0; k < s.Z; k++)
            for (var j = 0; j < s.Y; j++)
            {
                var row = (long)s.X * (j + (long)s.Y * k);
                for (var i = 0; i < s.X; i++)
                    if (want[labels.Data[row + i]]) { x += i; y += j; z += k; n++; }
            }
        return n == 0 ? new Vec3(double.NaN, double.NaN, double.NaN) : labels.Geometry.IndexToPhysical(x / n, y / n, z / n);
    }

    private static (Vec3 Lo, Vec3 Hi) PhysicalBounds(VolumeGeometry g)
    {
        var lo = new Vec3(double.MaxValue, double.MaxValue, double.MaxValue);
        var hi = new Vec3(double.MinValue, double.MinValue, double.MinValue);
        var n = g.Shape;
        foreach (var i in new[] { 0, n.X - 1 })
            foreach (var j in new[] { 0, n.Y - 1 })
                foreach (var k in new[] { 0, n.Z - 1 })
                {
                    var p = g.IndexToPhysical(i, j, k);
                    lo = new Vec3(Math.Min(lo.X, p.X), Math.Min(lo.Y, p.Y), Math.Min(lo.Z, p.Z));
                    hi = new Vec3(Math.Max(hi.X, p.X), Math.Max(hi.Y, p.Y), Math.Max(hi.Z, p.Z));
                }
        return (lo, hi);
    }
}
