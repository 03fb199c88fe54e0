using Streaming.Ingest.Preprocess;
using Streaming.Shards.Format;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Tests.Preprocess;

public class PreprocessorTests
{
    private static PreprocessSpec Spec(Modality m, double airThreshold = -500, double minBodyMl = 1) => new()
    {
        Name = "test",
        Modality = m,
        TargetSpacing = new Vec3(1, 1, 2),
        Intensity = new IntensitySpec(),
        Body = new BodySpec { AirThreshold = airThreshold, MinBodyMl = minBodyMl },
        Crop = new CropSpec { MinShape = new Int3(8, 8, 4), Margin = 1 },
        Shard = new ShardSpec(),
    };

    private static LoadedImage Load(Volume<float> v) => new(v, new Dictionary<string, string>());

    /// <summary>48x48x24 at 0.7x0.7x1.25 mm, flipped in x/y like a NIfTI: -2048 outside a circular field of view,
    /// air around a 40 HU elliptic body with a liver-like block of 60 HU (label 5) and enclosed gas (-900 HU).</summary>
    private static (Volume<float> Image, Volume<byte> Labels) Phantom()
    {
        var g = new VolumeGeometry(new Int3(48, 48, 24), new Vec3(0.7, 0.7, 1.25), new Vec3(30, 20, -10),
            new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, 1));
        var labels = VolumeFactory.FromIndex(g, (x, y, z) => (byte)(x is >= 20 and < 30 && y is >= 20 and < 28 && z is >= 6 and < 18 ? 5 : 0));
        var image = VolumeFactory.FromIndex(g, (x, y, z) =>
        {
            double u = (x - 23.5) / 23.5, v = (y - 23.5) / 23.5;
            if (u * u + v * v > 1) return -2048f;
            if (u * u / 0.5 + v * v / 0.3 > 1 || z < 2 || z > 21) return -1000f;
            if (labels[x, y, z] == 5) return 60f;
            if (x is >= 12 and < 15 && y is >= 22 and < 25 && z is >= 8 and < 16) return -900f;
            return 40f;
        });
        return (image, labels);
    }

    [Fact]
    public void Ct_FullChain_ClampsResamplesMasksCropsAndAligns()
    {
        var (image, labels) = Phantom();
        var timings = new PreprocessTimings();
        var r = Preprocessor.Run(Load(image), labels, Spec(Modality.CT), timings);

        // Resampled grid: floor(47 * 0.7) + 1 = 33 in x/y, floor(23 * 1.25 / 2) + 1 = 15 in z; x/y flipped to LPS.
        Assert.Equal(new Int3(33, 33, 15), r.ResampledGeometry.Shape);
        VolumeFactory.AssertVec(image.Geometry.IndexToPhysical(47, 47, 0), r.ResampledGeometry.Origin);
        Assert.Same(image.Geometry, r.SourceGeometry);

        // No -2048 bleed: nothing below the clip minimum anywhere.
        Assert.True(r.Image.Data.Min() >= -1024f);
        Assert.True(r.Stats.Min >= -1024);
        Assert.Equal(60f, r.Stats.Max);

        // Crop geometry: origin is the resampled position of the crop start; shapes agree.
        Assert.Equal(r.Crop.Shape, r.Image.Shape);
        Assert.Equal(r.Image.Geometry, r.Body.Geometry);
        Assert.Equal(r.Image.Geometry, r.Labels!.Geometry);
        VolumeFactory.AssertVec(r.ResampledGeometry.IndexToPhysical(r.Crop.Start.X, r.Crop.Start.Y, r.Crop.Start.Z), r.Image.Geometry.Origin);

        // Enclosed gas is body; labels only hold existing values and sit where the image is 60 HU.
        Assert.All(r.Labels.Data, l => Assert.True(l is 0 or 5));
        for (var i = 0; i < r.Image.Data.Length; i++)
        {
            if (r.Image.Data[i] == 60f) Assert.Equal(5, r.Labels.Data[i]);
            if (r.Labels.Data[i] == 5) Assert.Equal(1, r.Body.Data[i]);
        }
        // The gas pocket's centre (source voxel 13, 23, 12) is -900 HU and inside the body.
        var c = r.Image.Geometry.PhysicalToIndex(image.Geometry.IndexToPhysical(13, 23, 12));
        var gas = new Int3((int)Math.Round(c.X), (int)Math.Round(c.Y), (int)Math.Round(c.Z));
        Assert.Equal(-900f, r.Image[gas.X, gas.Y, gas.Z]);
        Assert.Equal(1, r.Body[gas.X, gas.Y, gas.Z]);

        Assert.Equal(1, timings.Volumes);
        Assert.True(timings.Resample > TimeSpan.Zero && timings.Body > TimeSpan.Zero);
    }

    [Fact]
    public void Mr_ScaledToUnitRange_AndObliqueOutsideIsMinimum()
    {
        var g = new VolumeGeometry(new Int3(30, 30, 12), new Vec3(1, 1, 2), new Vec3(0, 0, 0),
            VolumeFactory.Rotation(new Vec3(0, 0, 1), Math.PI / 6));
        var img = VolumeFactory.FromIndex(g, (x, y, z) =>
            x is >= 5 and < 25 && y is >= 5 and < 25 && z is >= 2 and < 10 ? 100f + x * 10 : 3f);
        var spec = Spec(Modality.MR, airThreshold: 0.05) with { Intensity = new IntensitySpec { PercentileLow = 0, PercentileHigh = 100 } };
        var r = Preprocessor.Run(Load(img), null, spec);
        Assert.Equal(0f, r.Stats.Min);
        Assert.Equal(1f, r.Stats.Max);
        // With the 0..100 % window, MR maps 3 → 0 and 340 (x = 24) → 1; outside-field voxels (value 3) → 0.
        Assert.All(r.Image.Data, v => Assert.InRange(v, 0f, 1f));
        Assert.True(r.Stats.BodyMean > 0.3);
    }

    [Fact]
    public void EmptyBody_IsRejectedWithReasonAndSourceName()
    {
        var g = VolumeGeometry.Axial(new Int3(16, 16, 8), new Vec3(1, 1, 1));
        var air = VolumeFactory.FromIndex(g, (x, y, z) => -1000f);
        var ex = Assert.Throws<InvalidDataException>(() =>
            Preprocessor.Run(Load(air), null, Spec(Modality.CT), new PreprocessOptions { SourceName = "scan7.nii.gz" }));
        Assert.Equal("scan7.nii.gz: body is empty: every voxel is air (below -500) connected to the volume border", ex.Message);
    }

    [Fact]
    public void TooSmallBody_IsRejectedWithItsVolume()
    {
        // An 8x8x4 mm tissue block in a 1 mm grid.
        var g = VolumeGeometry.Axial(new Int3(20, 20, 10), new Vec3(1, 1, 1));
        var img = VolumeFactory.FromIndex(g, (x, y, z) => x is >= 6 and < 14 && y is >= 6 and < 14 && z is >= 3 and < 7 ? 40f : -1000f);
        var ex = Assert.Throws<InvalidDataException>(() => Preprocessor.Run(Load(img), null, Spec(Modality.CT, minBodyMl: 50)));
        // Resampled to 1x1x2 mm, z samples sit at 0, 2, 4, 6, 8 mm: only 4 and 6 are tissue, so the body is
        // 8 x 8 x 2 voxels of 2 mm^3 = 256 mm^3 = 0.256 mL, reported to one decimal.
        Assert.Equal("body is 0.3 mL, below the minimum 50 mL (air threshold -500)", ex.Message);
    }

    [Fact]
    public void LabelGridMismatch_IsRejected()
    {
        var (image, _) = Phantom();
        var wrong = new Volume<byte>(VolumeGeometry.Axial(image.Shape, image.Geometry.Spacing));
        var ex = Assert.Throws<InvalidDataException>(() => Preprocessor.Run(Load(image), wrong, Spec(Modality.CT)));
        Assert.Contains("label map grid", ex.Message);
    }

    [Fact]
    public void Parallel_GivesTheSameBytes_AndCancellationStops()
    {
        var (image, labels) = Phantom();
        var oblique = new Volume<float>(image.Geometry with { Direction = VolumeFactory.Rotation(new Vec3(1, 1, 0), 0.3) }, image.Data);
        var obliqueLabels = new Volume<byte>(oblique.Geometry, labels.Data);
        foreach (var (img, lab) in new[] { (image, labels), (oblique, obliqueLabels) })
        {
            var a = Preprocessor.Run(Load(img), lab, Spec(Modality.CT));
            var b = Preprocessor.Run(Load(img), lab, Spec(Modality.CT), new PreprocessOptions { MaxDegreeOfParallelism = 3 });
            Assert.Equal(a.Image.Data, b.Image.Data);
            Assert.Equal(a.Labels!.Data, b.Labels!.Data);
            Assert.Equal(a.Crop, b.Crop);
        }
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Preprocessor.Run(Load(image), labels, Spec(Modality.CT), ct: cts.Token));
    }

    [Fact]
    public void BadOptionsAndGeometry_AreRejected()
    {
        var (image, _) = Phantom();
        Assert.Throws<ArgumentException>(() =>
            Preprocessor.Run(Load(image), null, Spec(Modality.CT), new PreprocessOptions { MaxDegreeOfParallelism = 0 }));
        var singular = new Volume<float>(image.Geometry with { Direction = new Mat3(1, 0, 0, 1, 0, 0, 0, 0, 1) }, image.Data);
        var ex = Assert.Throws<InvalidDataException>(() =>
            Preprocessor.Run(Load(singular), null, Spec(Modality.CT), new PreprocessOptions { SourceName = "x.nii" }));
        Assert.Equal("x.nii: direction matrix is not orthonormal", ex.Message);
    }
}
