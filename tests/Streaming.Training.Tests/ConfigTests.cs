using Streaming.Imaging.Volumes;
using Streaming.Tests;
using Streaming.Training.Config;
using Streaming.Training.Loop;
using Streaming.Training.Models;

namespace Streaming.Training.Tests;

public class ConfigTests
{
    private static string Pipeline(string name) => Path.Combine(SharedData.RepoRoot(), "pipelines", name);

    [Fact]
    public void ShippedConfigs_LoadWithThePaperSettings()
    {
        var v = PretrainConfigLoader.Load(Pipeline("vox2vec-ct.yaml"));
        Assert.Equal("vox2vec", v.Method.Method);
        Assert.Equal([16, 32, 64, 128, 256, 512], v.Method.Backbone.LevelChannels());
        Assert.Equal(new Int3(128, 128, 32), v.Sampling.PatchShape);
        Assert.Equal(3e-4, v.LearningRate);
        Assert.Equal(1.0, v.GradClip);
        Assert.Equal(0.1, v.Method.Temperature);
        Assert.Equal("cpu", v.Device);

        var h = PretrainConfigLoader.Load(Pipeline("hierarchical-ct.yaml"));
        Assert.Equal([32, 64, 128, 256, 512], h.Method.Backbone.LevelChannels());
        Assert.Equal(10, h.Method.ReconstructionWeight);
        Assert.True(h.Sampling.IncludeClean);
        Assert.Equal(0.5, h.Sampling.Augmentations.InpaintProbability);

        var m = PretrainConfigLoader.Load(Pipeline("hierarchical-mri.yaml"));
        Assert.Equal(0, m.Sampling.Augmentations.NoiseProbability);
        Assert.Equal(1, m.Sampling.Augmentations.WindowUpperMax);

        var d = PretrainConfigLoader.Load(Pipeline("vox2vec-demo-cpu.yaml"));
        Assert.Equal(120, d.Method.Backbone.LevelChannels().Sum());
        Assert.Equal(2, d.Threads);
    }

    [Fact]
    public void ResolvedYaml_RoundTrips()
    {
        var c = PretrainConfigLoader.Load(Pipeline("hierarchical-ct.yaml"));
        var again = PretrainConfigLoader.Parse(PretrainConfigLoader.ToYaml(c));
        Assert.Equal(ConfigFingerprint.Of(c), ConfigFingerprint.Of(again));
        Assert.Equal(c.Method, again.Method);
        Assert.Equal(c.Sampling.Augmentations, again.Sampling.Augmentations);
        Assert.NotEqual(ConfigFingerprint.Of(c), ConfigFingerprint.Of(c with { LearningRate = 1e-4 }));
        Assert.Equal(ConfigFingerprint.Of(c), ConfigFingerprint.Of(c with { Steps = 5, Threads = 3 }));
    }

    [Fact]
    public void Defaults_FollowTheMethod()
    {
        var h = PretrainConfigLoader.Parse("method: hierarchical\nsampling:\n  includeClean: true\n");
        Assert.Equal(32, h.Method.Backbone.BaseChannels);
        Assert.Equal(5, h.Method.Backbone.Levels);
        var v = PretrainConfigLoader.Parse("method: vox2vec\n");
        Assert.Equal(16, v.Method.Backbone.BaseChannels);
        Assert.Equal(NormKind.Batch, v.Method.Backbone.Norm);
    }

    [Theory]
    [InlineData("method: vox2vec\nlearningRatee: 0.1\n", "learningRatee")]
    [InlineData("method: simclr\n", "method must be one of")]
    [InlineData("method: hierarchical\n", "includeClean")]
    [InlineData("device: gpu\n", "device must be cpu, cuda or cuda:N")]
    [InlineData("sampling:\n  patchShape: [64, 64]\n", "patchShape must be [x, y, z]")]
    [InlineData("lr: -1\n", "lr must be")]
    public void BadConfig_IsRejectedNamingFileAndReason(string yaml, string reason)
    {
        using var dir = new TempDir();
        var path = dir.Path("bad.yaml");
        File.WriteAllText(path, yaml);
        var e = Assert.Throws<InvalidDataException>(() => PretrainConfigLoader.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(reason, e.Message);
    }
}
