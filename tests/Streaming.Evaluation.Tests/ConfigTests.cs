using Streaming.Evaluation.Protocols;
using Streaming.Imaging.Volumes;
using Streaming.Tests;

namespace Streaming.Evaluation.Tests;

public class ConfigTests
{
    [Fact]
    public void Every_shipped_eval_config_loads_and_validates()
    {
        var files = Directory.GetFiles(Path.Combine(SharedData.RepoRoot(), "pipelines"), "eval-*.yaml")
            .Where(f => !f.EndsWith("-pretrain.yaml", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        foreach (var f in files) EvaluationConfigLoader.Load(f);
        var demo = EvaluationConfigLoader.Load(Path.Combine(SharedData.RepoRoot(), "pipelines", "eval-demo.yaml"));
        Assert.Equal([Protocol.Linear], demo.Protocols);
        Assert.Equal(0.5, demo.Window.Overlap);
    }

    [Fact]
    public void Yaml_fills_options_and_rejects_bad_values_with_the_file_name()
    {
        var o = EvaluationConfigLoader.Parse("protocols: [linear, knn]\nfolds: 4\ntraining:\n  patch: [16, 16, 8]\nknn:\n  shots: [1, 3]\nfineTune:\n  freezeSteps: 7\n");
        Assert.Equal([Protocol.Linear, Protocol.Knn], o.Protocols);
        Assert.Equal(4, o.Folds);
        Assert.Equal(new Int3(16, 16, 8), o.Training.Patch);
        Assert.Equal([1, 3], o.KnnShots);
        Assert.Equal(7, o.FreezeSteps);
        using var dir = new TempDir();
        var bad = dir.Path("bad.yaml");
        File.WriteAllText(bad, "protocols: [linear, probing]\n");
        var e = Assert.Throws<InvalidDataException>(() => EvaluationConfigLoader.Load(bad));
        Assert.Contains("bad.yaml", e.Message);
        Assert.Contains("probing", e.Message);
        File.WriteAllText(bad, "folds: 1\n");
        Assert.Contains("folds", Assert.Throws<InvalidDataException>(() => EvaluationConfigLoader.Load(bad)).Message);
    }
}
