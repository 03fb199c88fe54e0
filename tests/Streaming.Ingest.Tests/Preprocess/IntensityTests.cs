using Streaming.Ingest.Preprocess;
using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;

namespace Streaming.Ingest.Tests.Preprocess;

public class IntensityTests
{
    [Fact]
    public void CtClamp_MapsPaddingToAirBeforeResampling_NoValueBelowClipMin()
    {
        // -2048 out-of-field border next to 0 HU tissue; resampling 1 mm → 1.5 mm would interpolate -2048 with 0
        // (giving -1024 ... -682) were it not clamped first; clamped, the blend of -1024 and 0 is at least -1024.
        var g = VolumeGeometry.Axial(new Int3(8, 8, 4), new Vec3(1, 1, 1));
        var v = VolumeFactory.FromIndex(g, (x, y, z) => x < 3 ? -2048f : 0f);
        var clamped = IntensityNormalizer.ClampCt(v, new IntensitySpec());
        Assert.Equal(-1024f, clamped[0, 0, 0]);
        Assert.Equal(-2048f, v[0, 0, 0]); // input untouched
        var r = Resampler.Resample(clamped, null, new Vec3(1.5, 1, 1), -1024);
        Assert.True(r.Image.Data.Min() >= -1024f);
        // Output x = 1.5 mm sits between input x = 1 and 2: both -1024 → -1024; x = 3 mm is tissue 0.
        Assert.Equal(-1024f, r.Image[1, 0, 0]);
        Assert.Equal(0f, r.Image[2, 0, 0]);
        // Unclamped, the padding survives and bleeds: -2048 stays, and 2.5 mm (between -2048 and 0) gives -1024
        // instead of the -512 that the clamped chain gives.
        var unclamped = Resampler.Resample(v, null, new Vec3(1.25, 1, 1), -1024);
        Assert.Equal(-2048f, unclamped.Image.Data.Min());
        Assert.Equal(-1024f, unclamped.Image[2, 0, 0]);
        Assert.Equal(-512f, Resampler.Resample(clamped, null, new Vec3(1.25, 1, 1), -1024).Image[2, 0, 0]);
    }

    public static TheoryData<int, double> FusedCases => new()
    {
        { 0, 1.5 },   // identity direction, resampled (clamp in the first pass)
        { 0, 1.0 },   // identity direction, same spacing (no pass: clamped copy)
        { 1, 1.5 },   // flipped x/y (flips folded into the passes)
        { 2, 1.5 },   // permuted (clamped after the permuting gather)
        { 3, 1.5 },   // oblique (clamped copy, then trilinear)
    };

    [Theory]
    [MemberData(nameof(FusedCases))]
    public void FusedClamp_EqualsClampingACopyFirst(int orientation, double target)
    {
        var dir = orientation switch
        {
            0 => Mat3.Identity,
            1 => new Mat3(-1, 0, 0, 0, -1, 0, 0, 0, 1),
            2 => new Mat3(0, 1, 0, 0, 0, 1, 1, 0, 0),
            _ => VolumeFactory.Rotation(new Vec3(1, 2, 3), 0.5),
        };
        var g = new VolumeGeometry(new Int3(13, 11, 7), new Vec3(1, 1, 1), new Vec3(2, 3, 4), dir);
        var v = VolumeFactory.FromIndex(g, (x, y, z) => (float)((x * 7919 + y * 104729 + z * 15485863) % 6000 - 3000));
        var spec = new IntensitySpec();
        var spacing = new Vec3(target, target, target);
        var fused = Resampler.Resample(v, null, spacing, -1024, clamp: IntensityNormalizer.CtClamp(spec));
        var separate = Resampler.Resample(IntensityNormalizer.ClampCt(v, spec), null, spacing, -1024);
        Assert.Equal(separate.Image.Data, fused.Image.Data);
        Assert.True(fused.Image.Data.Min() >= -1024f && fused.Image.Data.Max() <= 3071f);
    }

    [Fact]
    public void CtClamp_ClipsHighValuesAndReplacesNaNWithAir()
    {
        var g = VolumeGeometry.Axial(new Int3(20, 1, 1), new Vec3(1, 1, 1));
        var v = VolumeFactory.FromIndex(g, (x, y, z) => x switch { 0 => float.NaN, 1 => 5000f, 2 => float.NegativeInfinity, _ => 12.5f });
        var c = IntensityNormalizer.ClampCt(v, new IntensitySpec { ClipMin = -1000, ClipMax = 2000 });
        Assert.Equal([-1000f, 2000f, -1000f, 12.5f], c.Data[..4]);
    }

    [Fact]
    public void MrScaling_GivesUnitRangeWithExpectedClippedFraction()
    {
        // Values 0..999 (each once): p1 = 9.99, p99 = 989.01; 10 values below and 10 above clip to 0 and 1.
        var data = Enumerable.Range(0, 1000).Select(i => (float)((i * 37) % 1000)).ToArray();
        var (lo, hi) = IntensityNormalizer.ScaleMrInPlace(data, new IntensitySpec { PercentileLow = 1, PercentileHigh = 99 });
        Assert.Equal(9.99, lo, 1e-9);
        Assert.Equal(989.01, hi, 1e-9);
        Assert.Equal(0f, data.Min());
        Assert.Equal(1f, data.Max());
        Assert.Equal(10, data.Count(v => v == 0f));
        Assert.Equal(10, data.Count(v => v == 1f));
        // The voxel that held 500 now holds (500 - 9.99) / 979.02.
        var i500 = Enumerable.Range(0, 1000).First(i => (i * 37) % 1000 == 500);
        Assert.Equal((500 - 9.99) / 979.02, data[i500], 1e-6);
    }

    [Fact]
    public void MrSanitize_ReplacesNaNWithFiniteMinimum()
    {
        var g = VolumeGeometry.Axial(new Int3(3, 1, 1), new Vec3(1, 1, 1));
        var (img, air) = IntensityNormalizer.SanitizeMr(new Volume<float>(g, [float.NaN, 7f, 3f]));
        Assert.Equal(3f, air);
        Assert.Equal([3f, 7f, 3f], img.Data);
    }
}
