using Streaming.Ingest.Formats.Nifti;
using Streaming.Ingest.Volumes;
using Streaming.Synth.Anatomy;

namespace Streaming.Synth.Pictures;

/// <summary>
/// The documentation figure: a phantom (top row, with label overlay) above a real CT (bottom row, with its labels),
/// axial / coronal / sagittal, both at the same window (default abdomen W400/L40).
/// </summary>
public static class ComparisonFigure
{
    public static void Write(string pngPath, Phantom phantom, string realImagePath, string? realLabelPath,
        double window = 400, double level = 40, int panelHeight = 300)
    {
        var real = NiftiReader.Read(realImagePath).Volume;
        Volume<byte>? realLabels = realLabelPath is null ? null : NiftiReader.ReadLabels(realLabelPath);
        PhantomPicture.Render(pngPath,
        [
            new PictureRow(phantom.Image, phantom.Labels, PhantomCut(phantom)),
            new PictureRow(real, realLabels),
        ], window, level, 0.28, panelHeight);
    }

    /// <summary>Axial cut through the kidneys and pancreas, coronal through the kidneys, sagittal just right of the spine.</summary>
    public static Vec3 PhantomCut(Phantom phantom)
    {
        var kidneys = PhantomPicture.Centroid(phantom.Labels, PhantomLabels.KidneyLeft, PhantomLabels.KidneyRight);
        var spine = PhantomPicture.Centroid(phantom.Labels, PhantomLabels.Vertebrae);
        var g = phantom.Image.Geometry;
        var mid = g.IndexToPhysical((g.Shape.X - 1) / 2.0, (g.Shape.Y - 1) / 2.0, (g.Shape.Z - 1) / 2.0);
        return new Vec3(
            double.IsNaN(spine.X) ? mid.X : spine.X - 40 * phantom.Parameters.PatientScale,
            double.IsNaN(kidneys.Y) ? mid.Y : kidneys.Y,
            double.IsNaN(kidneys.Z) ? mid.Z : kidneys.Z + 20 * phantom.Parameters.PatientScale);
    }
}
