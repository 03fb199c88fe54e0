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
    public void Absent_keys_keep_the_records_defaults_and_a_config_can_inherit_another()
    {
        Assert.Equal(new EvaluationOptions().Training, EvaluationConfigLoader.Parse("folds: 3\n").Training);
        Assert.Equal(new EvaluationOptions().Window, EvaluationConfigLoader.Parse("").Window);
        using var dir = new TempDir();
        File.Copy(Path.Combine(SharedData.RepoRoot(), "pipelines", "eval-demo.yaml"), dir.Path("eval-demo.yaml"));
        File.WriteAllText(dir.Path("knn.yaml"), "inherits: eval-demo.yaml\nprotocols: [knn]\ntraining:\n  steps: 5\n");
        var o = EvaluationConfigLoader.Load(dir.Path("knn.yaml"));
        var demo = EvaluationConfigLoader.Load(dir.Path("eval-demo.yaml"));
        Assert.Equal([Protocol.Knn], o.Protocols);
        Assert.Equal(demo.Training with { Steps = 5 }, o.Training);  // a sibling key of the parent's training section survives
        Assert.Equal((demo.Folds, demo.Seed, demo.Threads, demo.Window, demo.WritePredictions), (o.Folds, o.Seed, o.Threads, o.Window, o.WritePredictions));
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
        File.WriteAllText(bad, "folds: 3\nknn:\n  k: 5\n  shot: [1, 3]\n");
        Assert.Contains("bad.yaml:4:3: unknown key 'knn.shot'; did you mean 'knn.shots'?", Assert.Throws<InvalidDataException>(() => EvaluationConfigLoader.Load(bad)).Message);
        File.WriteAllText(bad, "folds: 3\nseed: 1\nfolds: 4\n");
        Assert.Contains("bad.yaml:3:1: duplicate key 'folds'", Assert.Throws<InvalidDataException>(() => EvaluationConfigLoader.Load(bad)).Message);
    }
}
