using Streaming.Imaging.Formats.Nifti;
using Streaming.Imaging.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Pictures;

/// <summary>
/// The documentation figure, axial / coronal / sagittal at one window (default abdomen W400/L40): the phantom
/// (plain, then with its label overlay) above a real CT (plain, then with its labels).
/// </summary>
public static class ComparisonFigure
{
    public static void Write(string pngPath, Phantom phantom, string realImagePath, string? realLabelPath,
        double window = 400, double level = 40, int panelHeight = 300)
    {
        var real = NiftiReader.Read(realImagePath).Volume;
        Volume<byte>? realLabels = realLabelPath is null ? null : NiftiReader.ReadLabels(realLabelPath);
        var cut = PhantomCut(phantom);
        List<PictureRow> rows = [new(phantom.Image, null, cut), new(phantom.Image, phantom.Labels, cut), new(real)];
        if (realLabels is not null) rows.Add(new PictureRow(real, realLabels));
        PhantomPicture.Render(pngPath, rows, window, level, 0.3, panelHeight);
    }

    /// <summary>
    /// Axial cut through a vertebral body near the renal hila, coronal just in front of the kidneys' centres, sagittal
    /// through the right kidney and liver.
    /// </summary>
    public static Vec3 PhantomCut(Phantom phantom)
    {
        var kidneys = PhantomPicture.Centroid(phantom.Labels, PhantomLabels.KidneyLeft, PhantomLabels.KidneyRight);
        var spine = PhantomPicture.Centroid(phantom.Labels, PhantomLabels.Vertebrae);
        var g = phantom.Image.Geometry;
        var mid = g.IndexToPhysical((g.Shape.X - 1) / 2.0, (g.Shape.Y - 1) / 2.0, (g.Shape.Z - 1) / 2.0);
        var s = phantom.Parameters.PatientScale;
        var z = double.IsNaN(kidneys.Z) ? mid.Z : BestVertebralSlice(phantom, kidneys.Z + 15 * s, 20 * s);
        return new Vec3(
            double.IsNaN(spine.X) ? mid.X : spine.X - 60 * s,
            double.IsNaN(kidneys.Y) ? mid.Y : kidneys.Y - 8 * s,
            z);
    }

    /// <summary>The height within ±range of z whose slice holds the most vertebra voxels (a body, not a disc).</summary>
    private static double BestVertebralSlice(Phantom phantom, double z, double range)
    {
        var g = phantom.Labels.Geometry;
        var n = g.Shape;
        var best = z; long bestCount = -1;
        for (var k = 0; k < n.Z; k++)
        {
            var zk = g.IndexToPhysical(0, 0, k).Z;
            if (Math.Abs(zk - z) > range) continue;
            var count = phantom.Labels.Data.AsSpan(k * n.X * n.Y, n.X * n.Y).Count(PhantomLabels.Vertebrae);
            if (count > bestCount) { bestCount = count; best = zk; }
        }
        return best;
    }
}
