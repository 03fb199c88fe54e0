using Streaming.Imaging.Volumes;
using Streaming.Tests;
using Streaming.Training.Config;
using Streaming.Training.Loop;
using Streaming.Training.Methods;
using Streaming.Training.Models;

namespace Streaming.Training.Tests;

public class ConfigTests
{
    private static string Pipeline(string name) => Path.Combine(SharedData.RepoRoot(), "pipelines", name);

    [Fact]
    public void ShippedConfigs_LoadWithThePaperSettings()
    {
        var v = Assert.IsType<Vox2VecOptions>(PretrainConfigLoader.Load(Pipeline("vox2vec-ct.yaml")).Method);
        Assert.Equal("vox2vec", v.Name);
        Assert.Equal([16, 32, 64, 128, 256, 512], v.Backbone.LevelChannels());
        Assert.Equal(new Int3(128, 128, 32), v.Sampling.PatchShape);
        Assert.Equal(0.1, v.Temperature);
        var vc = PretrainConfigLoader.Load(Pipeline("vox2vec-ct.yaml"));
        Assert.Equal(3e-4, vc.LearningRate);
        Assert.Equal(1.0, vc.GradClip);
        Assert.Equal("cpu", vc.Device);

        var hc = PretrainConfigLoader.Load(Pipeline("hierarchical-ct.yaml"));
        var h = Assert.IsType<HierarchicalOptions>(hc.Method);
        Assert.Equal(50_000, hc.Steps); // the paper's 50K steps
        Assert.Equal([32, 64, 128, 256, 512], h.Backbone.LevelChannels());
        Assert.Equal(10, h.ReconstructionWeight);
        Assert.True(h.Sampling.IncludeClean);
        Assert.Equal(HierarchicalReadout.Raw, h.Readout);
        // Only the paper's three augmentations: vox2vec's blur/sharpen, noise and random window are off, in the file
        // and in the method's defaults.
        foreach (var a in new[] { h.Sampling.Augmentations, new HierarchicalOptions().Sampling.Augmentations })
        {
            Assert.Equal((0.0, 0.0, 1.0), (a.BlurOrSharpenProbability, a.NoiseProbability, a.FixedWindowProbability));
            Assert.Equal((0.5, 0.5, 0.5), (a.LocalShuffleProbability, a.InpaintProbability, a.BezierProbability));
        }

        var m = Assert.IsType<HierarchicalOptions>(PretrainConfigLoader.Load(Pipeline("hierarchical-mri.yaml")).Method);
        Assert.Equal(0, m.Sampling.Augmentations.NoiseProbability);
        Assert.Equal(1, m.Sampling.Augmentations.WindowUpperMax);
        Assert.Equal(0.5, m.Sampling.Augmentations.InpaintProbability); // inherited from hierarchical-ct.yaml

        var d = PretrainConfigLoader.Load(Pipeline("vox2vec-demo-cpu.yaml"));
        Assert.Equal(120, ((Vox2VecOptions)d.Method).Backbone.LevelChannels().Sum());
        Assert.Equal(2, d.Threads);
    }

    [Fact]
    public void MriConfig_InheritsTheCtConfig_AndResolvesToTheSameRunAsBefore()
    {
        Assert.Contains("inherits: hierarchical-ct.yaml", File.ReadAllText(Pipeline("hierarchical-mri.yaml")));
        // The full MRI config written out without inheritance (same method, model, loss, sampling, spec); since issue 14
        // with the paper's 50K steps and without vox2vec's blur/sharpen.
        const string before = """
            method: hierarchical
            seed: 0
            steps: 50000
            runDir: runs/hierarchical-mri
            cache: { dir: cache, spec: pipelines/mri-1.5iso.yaml }
            model: { baseChannels: 32, levels: 5, blocksPerLevel: 2, norm: batch, levelProjectionWidth: 32, headOut: 128 }
            loss: { temperature: 0.1, infoNceChunkRows: 2048, reconstructionWeight: 10 }
            sampling:
              patchShape: [128, 128, 32]
              volumesPerBatch: 10
              pairsPerVolume: 1
              positionsPerPair: 1000
              includeClean: true
              augmentations:
                blurOrSharpenProbability: 0
                noiseProbability: 0
                fixedWindowProbability: 1
                windowMin: 0
                windowMax: 1
                windowLowerMin: 0
                windowLowerMax: 0
                windowUpperMin: 1
                windowUpperMax: 1
                localShuffleProbability: 0.5
                inpaintProbability: 0.5
                bezierProbability: 0.5
            """;
        var inherited = PretrainConfigLoader.Load(Pipeline("hierarchical-mri.yaml"));
        // Parsed text has no folder of its own: name the spec file where it is (the fingerprint holds the spec's content key).
        var explicitly = PretrainConfigLoader.Parse(before.Replace("pipelines/mri-1.5iso.yaml", Pipeline("mri-1.5iso.yaml")));
        Assert.Equal(ConfigFingerprint.Of(explicitly), ConfigFingerprint.Of(inherited));
        Assert.Equal(explicitly.Method, inherited.Method);
        Assert.Equal("runs/hierarchical-mri", inherited.RunDir);
    }

    [Fact]
    public void ResolvedYaml_RoundTrips()
    {
        var c = PretrainConfigLoader.Load(Pipeline("hierarchical-ct.yaml"));
        var again = PretrainConfigLoader.Parse(PretrainConfigLoader.ToYaml(c));
        Assert.Equal(ConfigFingerprint.Of(c), ConfigFingerprint.Of(again));
        Assert.Equal(c.Method, again.Method);
        Assert.Equal(((HierarchicalOptions)c.Method).Sampling.Augmentations, ((HierarchicalOptions)again.Method).Sampling.Augmentations);
        Assert.NotEqual(ConfigFingerprint.Of(c), ConfigFingerprint.Of(c with { LearningRate = 1e-4 }));
        Assert.Equal(ConfigFingerprint.Of(c), ConfigFingerprint.Of(c with { Steps = 5, Threads = 3, CacheDir = "/elsewhere" }));
    }

    [Fact]
    public void Fingerprint_names_the_spec_by_content_not_by_path_and_ignores_progress_settings()
    {
        using var t = new TempDir();
        var spec = File.ReadAllText(Pipeline("ct-demo-3mm.yaml"));
        File.WriteAllText(t.Path("ct.yaml"), spec);
        Directory.CreateDirectory(t.Path("moved"));
        File.WriteAllText(t.Path("moved", "ct.yaml"), spec);
        var c = PretrainConfigLoader.Parse("method: vox2vec\n") with { CacheSpec = t.Path("ct.yaml") };
        // A moved checkout (the same spec elsewhere) and other progress settings resume the same run.
        Assert.Equal(ConfigFingerprint.Of(c), ConfigFingerprint.Of(c with { CacheSpec = t.Path("moved", "ct.yaml"), Progress = false, ProgressSeconds = 60 }));
        // An edited spec is another trajectory.
        File.WriteAllText(t.Path("moved", "ct.yaml"), spec.Replace("targetSpacing: [3.0, 3.0, 3.0]", "targetSpacing: [2.0, 2.0, 2.0]", StringComparison.Ordinal));
        Assert.NotEqual(ConfigFingerprint.Of(c), ConfigFingerprint.Of(c with { CacheSpec = t.Path("moved", "ct.yaml") }));
    }

    [Fact]
    public void Defaults_FollowTheMethod_AndLiveInItsRecord()
    {
        var h = Assert.IsType<HierarchicalOptions>(PretrainConfigLoader.Parse("method: hierarchical\n").Method);
        Assert.Equal(new HierarchicalOptions(), h);
        Assert.Equal(32, h.Backbone.BaseChannels);
        Assert.Equal(5, h.Backbone.Levels);
        Assert.True(h.Sampling.IncludeClean);
        // A partial model section keeps the method's other defaults (base 32, not the record-wide 16).
        var h3 = Assert.IsType<HierarchicalOptions>(PretrainConfigLoader.Parse("method: hierarchical\nmodel:\n  blocksPerLevel: 3\n").Method);
        Assert.Equal(32, h3.Backbone.BaseChannels);
        Assert.Equal(3, h3.Backbone.BlocksPerLevel);
        var v = Assert.IsType<Vox2VecOptions>(PretrainConfigLoader.Parse("method: vox2vec\n").Method);
        Assert.Equal(new Vox2VecOptions(), v);
        Assert.Equal(16, v.Backbone.BaseChannels);
        Assert.Equal(NormKind.Batch, v.Backbone.Norm);
        Assert.Equal(Vox2VecDecoder.UNet, Assert.IsType<Vox2VecOptions>(PretrainConfigLoader.Parse("method: vox2vec-unet\n").Method).Decoder);
        Assert.Equal(new PretrainConfig() with { Method = v }, PretrainConfigLoader.Parse("") with { Method = v });
    }

    [Theory]
    [InlineData("method: vox2vec\nlearningRatee: 0.1\n", "unknown key 'learningRatee'")]
    [InlineData("method: simclr\n", "method must be one of vox2vec, vox2vec-unet, vox2vec-unet-pyramid, hierarchical, sal, context2d-heatmap, context2d-reg2d, doersch3d, gvdiff, voxel-simsiam, not 'simclr'")]
    [InlineData("method: vox2vecc\n", "did you mean 'vox2vec'?")]
    [InlineData("method: hierarchical\nsampling:\n  includeClean: false\n", "includeClean")]
    [InlineData("device: gpu\n", "device must be cpu, cuda or cuda:N")]
    [InlineData("sampling:\n  patchShape: [64, 64]\n", "patchShape must be [x, y, z]")]
    [InlineData("lr: -1\n", "lr must be")]
    [InlineData("lr: fast\n", "lr must be a number, not 'fast'")]
    [InlineData("model:\n  norm: layer\n", "model.norm must be one of batch, group, not 'layer'")]
    [InlineData("model:\n  baseChanels: 8\n", "unknown key 'model.baseChanels'; did you mean 'model.baseChannels'?")]
    [InlineData("model:\n  levelProjectionWidth: 8\n", "unknown key 'model.levelProjectionWidth'")] // a hierarchical key in a vox2vec config
    [InlineData("sampling:\n  augmentations:\n    noiseProbabilty: 0.1\n", "did you mean 'sampling.augmentations.noiseProbability'?")]
    [InlineData("steps: 10\nlr: 0.1\nsteps: 20\n", "duplicate key 'steps' (first set on line 1)")]
    public void BadConfig_IsRejectedNamingFileLineAndReason(string yaml, string reason)
    {
        using var dir = new TempDir();
        var path = dir.Path("bad.yaml");
        File.WriteAllText(path, yaml);
        var e = Assert.Throws<InvalidDataException>(() => PretrainConfigLoader.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void UnknownAndDuplicateKeys_NameTheirLine()
    {
        using var dir = new TempDir();
        var path = dir.Path("bad.yaml");
        File.WriteAllText(path, "method: vox2vec\nsampling:\n  volumesPerBatch: 2\n  positonsPerPair: 64\n");
        var e = Assert.Throws<InvalidDataException>(() => PretrainConfigLoader.Load(path));
        Assert.StartsWith($"{path}:4:3: unknown key 'sampling.positonsPerPair'; did you mean 'sampling.positionsPerPair'?", e.Message);
        File.WriteAllText(path, "method: vox2vec\nloss:\n  temperature: 0.1\n  temperature: 0.2\n");
        e = Assert.Throws<InvalidDataException>(() => PretrainConfigLoader.Load(path));
        Assert.StartsWith($"{path}:4:3: duplicate key 'temperature' (first set on line 3)", e.Message);
    }

    [Fact]
    public void Inherits_OverridesKeyByKey_ResolvesRelativeToTheFile_AndRefusesCycles()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Path("base"));
        File.WriteAllText(dir.Path("base", "a.yaml"), "method: hierarchical\nsteps: 50\nmodel:\n  baseChannels: 8\n  levels: 3\nsampling:\n  patchShape: [32, 32, 16]\n");
        File.WriteAllText(dir.Path("b.yaml"), "inherits: base/a.yaml\nsteps: 70\nmodel:\n  levels: 2\n");
        var b = PretrainConfigLoader.Load(dir.Path("b.yaml"));
        var m = Assert.IsType<HierarchicalOptions>(b.Method);
        Assert.Equal(70, b.Steps);                       // the child's value wins
        Assert.Equal(8, m.Backbone.BaseChannels);         // a sibling key of the parent's mapping survives
        Assert.Equal(2, m.Backbone.Levels);
        Assert.Equal(new Int3(32, 32, 16), m.Sampling.PatchShape);

        File.WriteAllText(dir.Path("c.yaml"), "inherits: d.yaml\n");
        File.WriteAllText(dir.Path("d.yaml"), "inherits: c.yaml\nsteps: 3\n");
        var e = Assert.Throws<InvalidDataException>(() => PretrainConfigLoader.Load(dir.Path("c.yaml")));
        Assert.Contains("inherits cycle: c.yaml → d.yaml → c.yaml", e.Message);

        File.WriteAllText(dir.Path("e.yaml"), "inherits: nothere.yaml\n");
        e = Assert.Throws<InvalidDataException>(() => PretrainConfigLoader.Load(dir.Path("e.yaml")));
        Assert.Contains("nothere.yaml not found", e.Message);
        Assert.Contains("b.yaml, c.yaml, d.yaml, e.yaml", e.Message); // the configs it could have meant
    }
}
