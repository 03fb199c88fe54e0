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
    public void Fixed_extent_crop_is_read_and_absent_by_default()
    {
        var s = SpecLoader.Parse("modality: CT\ntargetSpacing: [2, 2, 2]\ncrop:\n  fixedExtentMm: [288, 288, 0]");
        Assert.Equal(new Vec3(288, 288, 0), s.Crop.FixedExtentMm);
        Assert.Null(SpecLoader.Parse("modality: CT\ntargetSpacing: [2, 2, 2]\ncrop:\n  margin: 2").Crop.FixedExtentMm);
    }

    [Fact]
    public void Mr_default_air_threshold_is_on_the_scaled_range() =>
        Assert.Equal(0.3, SpecLoader.Parse("modality: MR\ntargetSpacing: [1.5, 1.5, 1.5]").Body.AirThreshold);

    [Fact]
    public void A_spec_can_inherit_another_and_override_keys()
    {
        using var t = new TempDir();
        File.Copy(Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-demo-3mm.yaml"), t.Path("base.yaml"));
        File.WriteAllText(t.Path("fine.yaml"), "inherits: base.yaml\nname: ct-demo-2mm\ntargetSpacing: [2, 2, 2]\nbody:\n  minBodyMl: 10\n");
        var s = SpecLoader.Load(t.Path("fine.yaml"));
        var b = SpecLoader.Load(t.Path("base.yaml"));
        Assert.Equal(new Vec3(2, 2, 2), s.TargetSpacing);
        Assert.Equal(10, s.Body.MinBodyMl);
        Assert.Equal(b.Body.AirThreshold, s.Body.AirThreshold);  // kept from the parent's body section
        Assert.Equal(b.Crop, s.Crop);
        Assert.Equal(b with { Name = "ct-demo-2mm", TargetSpacing = new Vec3(2, 2, 2), Body = b.Body with { MinBodyMl = 10 } }, s);
    }

    [Theory]
    [InlineData("modality: CT\ntargetSpacing: [1, 1, 2]\nbody:\n  airTreshold: -400", "airTreshold")]
    [InlineData("modality: CT\ntargetSpacing: [1, 0, 2]", "target spacing")]
    [InlineData("modality: PET\ntargetSpacing: [1, 1, 2]", "modality must be one of CT, MR")]
    [InlineData("modality: CT", "targetSpacing is required")]
    [InlineData("modality: CT\ntargetSpacing: [1, 1, 2]\nshard:\n  zstdLevel: 40", "zstdLevel")]
    [InlineData("modality: CT\ntargetSpacing: [1, 1, 2]\ncrop:\n  fixedExtentMm: [300, -1, 0]", "crop.fixedExtentMm")]
    [InlineData("modality: CT\ntargetSpacing: [1, 1, 2]\ncrop:\n  fixedExtentMm: [0, 0, 0]", "not all 0")]
    [InlineData("modality: CT\ntargetSpacing: [1, 1, 2]\ncrop:\n  fixedExtentMm: [300, 300]", "crop.fixedExtentMm needs 3 values")]
    [InlineData("modality: CT\ntargetSpacing: [1, 1, 2]\nbody:\n  fill: slices", "body.fill must be one of axialSlices, volume, not 'slices'")]
    [InlineData("modality: CT\ntargetSpacing: [1, 1, 2]\ncrop:\n  margn: 2", ":4:3: unknown key 'crop.margn'; did you mean 'crop.margin'?")]
    [InlineData("modality: CT\nmodality: MR\ntargetSpacing: [1, 1, 2]", ":2:1: duplicate key 'modality'")]
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
