using System.Globalization;
using Streaming.Imaging.Formats.Dicom;
using Streaming.Imaging.Formats.Dicom.Isolation;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Imaging.Tests.Formats.Dicom;

/// <summary>
/// Real tilted and unevenly spaced series, built from the shared thorax CT by editing ImagePositionPatient with GDCM,
/// are put on a regular grid like dcm2niix does; "reject" still refuses them.
/// </summary>
public class IrregularStackTests
{
    private static (IReadOnlyList<string> Files, LoadedImage Original) Source()
    {
        var files = Directory.GetFiles(SharedData.Path("dicom", "ct-thorax-syntaxes", "explicit_vr_le")).Order().ToList();
        return (files, DicomSeriesReader.Read(files));
    }

    /// <summary>Rewrites each file with ImagePositionPatient = position(k) where k is the file's slice index in the original.</summary>
    private static List<string> Rewrite(string folder, IReadOnlyList<string> files, LoadedImage original, Func<int, Vec3> position)
    {
        GdcmNativeResolver.EnsureRegistered();
        Directory.CreateDirectory(folder);
        var g = original.Volume.Geometry;
        var normal = g.Direction.Column(2);
        var result = new List<string>();
        foreach (var f in files)
        {
            var header = DicomHeaderReader.Read(f);
            var k = (int)Math.Round((header.Position!.Value - g.Origin).Dot(normal) / g.Spacing.Z);
            using var reader = new gdcm.Reader();
            reader.SetFileName(f);
            Assert.True(reader.Read());
            var p = position(k);
            GdcmDataSetValues.Put(reader.GetFile().GetDataSet(), DicomTag.ImagePositionPatient, gdcm.VR.VRType.DS,
                string.Join('\\', new[] { p.X, p.Y, p.Z }.Select(v => v.ToString("0.######", CultureInfo.InvariantCulture))));
            var target = Path.Combine(folder, Path.GetFileName(f));
            using var writer = new gdcm.Writer();
            writer.SetFile(reader.GetFile());
            writer.SetFileName(target);
            Assert.True(writer.Write());
            result.Add(target);
        }
        return result;
    }

    [SharedDataFact]
    public void A_tilted_stack_is_sheared_back_onto_the_untilted_grid()
    {
        using var t = new TempDir();
        var (files, original) = Source();
        var g = original.Volume.Geometry;
        // Gantry tilt: each slice one row further along the column direction (atan(0.977 / 2) = 26 degrees).
        var tilted = Rewrite(t.Path("tilted"), files, original, k => g.IndexToPhysical(0, k, k));

        using var pool = new GdcmWorkerPool(1);
        var image = DicomSeriesReader.Read(tilted, pool);
        Assert.Contains("gantry tilt", image.Metadata["sliceGrid"]);
        var v = image.Volume;
        Assert.Equal(g.Shape, v.Shape);
        Assert.True((v.Geometry.Origin - g.Origin).Norm < 1e-3);
        Assert.True(v.Geometry.Direction.ApproximatelyEquals(g.Direction, 1e-6));
        // Slice k moved k rows on, so the corrected voxel (i, j, k) shows the original (i, j - k, k); rows shifted in from outside are air.
        var fill = original.Volume.Data.Min();
        foreach (var (i, j, k) in new[] { (100, 200, 0), (256, 256, 10), (300, 50, 19), (17, 511, 7), (256, 3, 12) })
        {
            var expected = j - k >= 0 ? original.Volume.Data[g.Shape.Index(i, j - k, k)] : fill;
            Assert.Equal(expected, v.Data[g.Shape.Index(i, j, k)]);
        }
        var e = Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read(tilted, pool, SliceGridOptions.RejectIrregular));
        Assert.Contains("gantry tilt", e.Message);
    }

    [SharedDataFact]
    public void Unevenly_spaced_slices_are_interpolated_from_their_real_positions()
    {
        using var t = new TempDir();
        var (files, original) = Source();
        var g = original.Volume.Geometry;
        // 2 mm apart for the first 10 slices, then 3 mm (1.5x: not a whole multiple, so not "missing slices").
        double Z(int k) => k < 10 ? 2.0 * k : 18 + 3.0 * (k - 9);
        var uneven = Rewrite(t.Path("uneven"), files, original, k => g.Origin + g.Direction.Column(2) * Z(k));

        var image = DicomSeriesReader.Read(uneven, InProcessGdcm.Instance, SliceGridOptions.Default);
        Assert.Contains("uneven slice spacing", image.Metadata["sliceGrid"]);
        var v = image.Volume;
        var span = Z(19);
        var slices = (int)Math.Round(span / 2) + 1; // resampled at the smallest step, as dcm2niix does
        Assert.Equal(new Int3(512, 512, slices), v.Shape);
        Assert.Equal(span / (slices - 1), v.Geometry.Spacing.Z, 9);
        foreach (var m in new[] { 0, 3, 9, 12, 20, slices - 1 })
        {
            var z = m * v.Geometry.Spacing.Z;
            var k = Enumerable.Range(0, 19).Last(i => Z(i) <= z + 1e-9);
            var w = (z - Z(k)) / (Z(k + 1) - Z(k));
            foreach (var (i, j) in new[] { (256, 256), (100, 300) })
            {
                var expected = original.Volume.Data[g.Shape.Index(i, j, k)] * (1 - w) + original.Volume.Data[g.Shape.Index(i, j, Math.Min(19, k + 1))] * w;
                Assert.Equal(expected, v.Data[v.Shape.Index(i, j, m)], 2);
            }
        }
        var e = Assert.Throws<InvalidDataException>(() => DicomSeriesReader.Read(uneven, InProcessGdcm.Instance, SliceGridOptions.RejectIrregular));
        Assert.Contains("uneven slice spacing", e.Message);
    }
}
