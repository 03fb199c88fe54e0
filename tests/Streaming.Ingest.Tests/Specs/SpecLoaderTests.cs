using Streaming.Shards.Specs;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Shards.Tests.Specs;

public class SpecLoaderTests
{
    [Fact]
    public void Shipped_ct_spec_has_the_papers_settings()
    {
        var s = SpecLoader.Load(Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-1x1x2.yaml"));
        Assert.Equal(Modality.CT, s.Modality);
        Assert.Equal(new Vec3(1, 1, 2), s.TargetSpacing);
        Assert.Equal(-500, s.Body.AirThreshold);
        Assert.Equal(new Int3(128, 128, 32), s.Crop.MinShape);
        Assert.Equal(-1024, s.Intensity.ClipMin);
    }

    [Fact]
    public void Shipped_mri_spec_uses_percentiles_and_scaled_air_threshold()
    {
        var s = SpecLoader.Load(Path.Combine(SharedData.RepoRoot(), "pipelines", "mri-1.5iso.yaml"));
        Assert.Equal(Modality.MR, s.Modality);
        Assert.Equal(new Vec3(1.5, 1.5, 1.5), s.TargetSpacing);
        Assert.Equal(0.01, s.Intensity.PercentileLow);
        Assert.Equal(99.9, s.Intensity.PercentileHigh);
        Assert.Equal(0.3, s.Body.AirThreshold);
    }

    [Fact]
    public void Mr_default_air_threshold_is_on_the_scaled_range() =>
        Assert.Equal(0.3, SpecLoader.Parse("modality: MR\ntargetSpacing: [1.5, 1.5, 1.5]").Body.AirThreshold);

    [Theory]
    [InlineData("modality: CT\ntargetSpacing: [1, 1, 2]\nbody:\n  airTreshold: -400", "airTreshold")]
    [InlineData("modality: CT\ntargetSpacing: [1, 0, 2]", "target spacing")]
    [InlineData("modality: PET\ntargetSpacing: [1, 1, 2]", "modality must be one of CT, MR")]
    [InlineData("modality: CT", "targetSpacing is required")]
    [InlineData("modality: CT\ntargetSpacing: [1, 1, 2]\nshard:\n  zstdLevel: 40", "zstdLevel")]
    public void Bad_specs_name_the_problem(string yaml, string expected)
    {
        using var t = new TempDir();
        var path = t.Path("bad.yaml");
        File.WriteAllText(path, yaml);
        var e = Assert.Throws<InvalidDataException>(() => SpecLoader.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
    }
}
