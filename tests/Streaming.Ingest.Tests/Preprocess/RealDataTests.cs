using Streaming.Imaging.Formats.Nifti;
using Streaming.Ingest.Preprocess;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Tests;
using Xunit.Abstractions;

namespace Streaming.Ingest.Tests.Preprocess;

/// <summary>Preprocessing real scans from ../shared/data (skipped when absent).</summary>
public class RealDataTests(ITestOutputHelper output)
{
    private static PreprocessSpec Spec(Modality m, Vec3 target, double air) => new()
    {
        Name = "real",
        Modality = m,
        TargetSpacing = target,
        Intensity = m == Modality.CT ? new IntensitySpec() : new IntensitySpec { PercentileLow = 0.5, PercentileHigh = 99.5 },
        Body = new BodySpec { AirThreshold = air, MinBodyMl = 50 },
        Crop = new CropSpec { MinShape = new Int3(64, 64, 16), Margin = 2 },
        Shard = new ShardSpec(),
    };

    [SharedDataTheory]
    [InlineData("ct-abdomen-3mm", Modality.CT, -500.0)]
    [InlineData("mr-abdomen-3mm", Modality.MR, 0.05)]
    public void RealScan_LabelsKeepValuesAndVolumes_AndLieInTheBody(string folder, Modality modality, double air)
    {
        var image = NiftiReader.Read(SharedData.Path("nifti", folder, "image.nii.gz")).Volume;
        var labels = NiftiReader.ReadLabels(SharedData.Path("nifti", folder, "labels.nii.gz"));
        var timings = new PreprocessTimings();
        var r = Preprocessor.Run(new LoadedImage(image, new Dictionary<string, string>()), labels,
            Spec(modality, new Vec3(1.5, 2, 2), air), timings);
        output.WriteLine($"{folder}: {image.Geometry} -> resampled {r.ResampledGeometry.Shape}, crop {r.Crop}, stats {r.Stats}");
        output.WriteLine(timings.ToString());

        // Canonical grid starts at the physical corner of the source that is most right/anterior/inferior.
        Assert.Equal(Mat3.Identity, r.Image.Geometry.Direction);
        if (modality == Modality.CT)
        {
            Assert.InRange(r.Stats.Min, -1024, -900);
            Assert.True(r.Stats.Max <= 3071);
        }
        else
        {
            Assert.Equal(0, r.Stats.Min);
            Assert.Equal(1, r.Stats.Max);
        }

        // Nearest-neighbour labels: no new values, and each big structure keeps its physical volume within 5 %.
        double vin = image.Geometry.Spacing.X * image.Geometry.Spacing.Y * image.Geometry.Spacing.Z;
        double vout = r.Image.Geometry.Spacing.X * r.Image.Geometry.Spacing.Y * r.Image.Geometry.Spacing.Z;
        var countIn = new long[256];
        var countOut = new long[256];
        // Structures cut by the scan's border lose part of their edge voxels to the grid rule (output spans the outer
        // voxel centres, not the outer voxel faces); only interior structures must keep their volume.
        var touchesBorder = new bool[256];
        var n = labels.Shape;
        for (var z = 0; z < n.Z; z++)
            for (var y = 0; y < n.Y; y++)
                for (var x = 0; x < n.X; x++)
                {
                    var l = labels[x, y, z];
                    countIn[l]++;
                    if (x == 0 || y == 0 || z == 0 || x == n.X - 1 || y == n.Y - 1 || z == n.Z - 1) touchesBorder[l] = true;
                }
        long labelled = 0, labelledInBody = 0;
        for (var i = 0; i < r.Labels!.Data.Length; i++)
        {
            var l = r.Labels.Data[i];
            countOut[l]++;
            if (l == 0) continue;
            labelled++;
            if (r.Body.Data[i] != 0) labelledInBody++;
        }
        var checkedLabels = 0;
        for (var l = 1; l < 256; l++)
        {
            if (countIn[l] == 0) Assert.Equal(0, countOut[l]);
            if (countIn[l] * vin < 5_000 || touchesBorder[l]) continue; // interior structures above 5 mL
            output.WriteLine($"label {l}: {countIn[l] * vin / 1000:F1} mL -> {countOut[l] * vout / 1000:F1} mL");
            Assert.InRange(countOut[l] * vout / (countIn[l] * vin), 0.97, 1.03);
            checkedLabels++;
        }
        Assert.True(checkedLabels >= 1, $"only {checkedLabels} interior labels above 5 mL");
        Assert.True(labelledInBody >= 0.995 * labelled, $"{labelled - labelledInBody} of {labelled} labelled voxels outside the body");
    }

    [SharedDataFact]
    public void RealCt_VolumeFillLosesTheCutLungBases_AxialFillKeepsThem()
    {
        // Why BodyFill.AxialSlices is the default: this upper-abdomen CT cuts through the lung bases at its top slice,
        // so in 3-D the lungs are air connected to the volume border.
        var image = NiftiReader.Read(SharedData.Path("nifti", "ct-abdomen-3mm", "image.nii.gz")).Volume;
        var labels = NiftiReader.ReadLabels(SharedData.Path("nifti", "ct-abdomen-3mm", "labels.nii.gz"));
        double OutsideFraction(BodyFill fill)
        {
            var spec = Spec(Modality.CT, new Vec3(3, 3, 3), -500) with { Body = new BodySpec { AirThreshold = -500, Fill = fill } };
            var r = Preprocessor.Run(new LoadedImage(image, new Dictionary<string, string>()), labels, spec);
            long labelled = 0, outside = 0;
            for (var i = 0; i < r.Labels!.Data.Length; i++)
            {
                if (r.Labels.Data[i] == 0) continue;
                labelled++;
                if (r.Body.Data[i] == 0) outside++;
            }
            return (double)outside / labelled;
        }
        var volume = OutsideFraction(BodyFill.Volume);
        var axial = OutsideFraction(BodyFill.AxialSlices);
        output.WriteLine($"labelled voxels outside the body: volume fill {volume:P2}, axial fill {axial:P2}");
        Assert.True(volume > 0.05);
        Assert.True(axial < 0.005);
    }
}
