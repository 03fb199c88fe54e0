using Streaming.Tests;

namespace Streaming.Cli.Tests.Commands;

/// <summary>SAL end to end through the CLI, tiny: fixed-field-of-view phantoms → fixed-extent cache → pretrain → evaluate-slices.</summary>
public class SalPipelineTests
{
    [Fact]
    public void Phantoms_to_sal_pretraining_to_slice_fine_tuning_report()
    {
        using var t = new TempDir();
        var spec = Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-fixedfov-4mm.yaml");
        // One small labeled cache serves both stages here (the study keeps pre-training and labeled phantoms apart).
        Assert.Equal(0, CliRunner.Run("synth", "--out", t.Path("lab"), "--count", "4", "--seed", "6", "--fixed-fov").Exit);
        Assert.Equal(0, CliRunner.Run("ingest", "--spec", spec, "--source", "flare=" + t.Path("lab"), "--cache", t.Path("cache-lab")).Exit);

        File.WriteAllText(t.Path("sal.yaml"), $"""
            inherits: {Path.Combine(SharedData.RepoRoot(), "pipelines", "sal-demo-cpu.yaml")}
            steps: 3
            checkpointEvery: 3
            logEvery: 1
            model:
              widths: [2, 4, 4, 8, 8]
              localDim: 4
              globalDim: 4
            sampling:
              slicesPerVolume: 2
              sliceShape: [32, 32]
            """);
        var pre = CliRunner.Run("pretrain", t.Path("sal.yaml"), "--cache", t.Path("cache-lab"), "--run-dir", t.Path("run"), "--json");
        Assert.True(pre.Exit == 0, pre.Stderr);
        Assert.True(File.Exists(t.Path("run", "backbone.safetensors")));

        File.WriteAllText(t.Path("eval.yaml"), """
            folds: 2
            labeledSubjects: [1]
            steps: 2
            batchSize: 2
            labels: [1, 3, 4]
            threads: 1
            """);
        var ev = CliRunner.Run("evaluate-slices", t.Path("eval.yaml"), "--run", "sal=" + t.Path("run"), "--cache", t.Path("cache-lab"),
            "--class-names", "phantom", "--out", t.Path("eval"), "--json");
        Assert.True(ev.Exit == 0, ev.Stderr);
        var summary = CliRunner.Summary(ev.Stdout);
        Assert.Equal(["M=1/random-init", "M=1/sal"], summary.GetProperty("arms").EnumerateArray().Select(a => a.GetProperty("arm").GetString()));
        var report = File.ReadAllText(t.Path("eval", "report.md"));
        Assert.Contains("liver", report);
        Assert.Contains("kidney_left", report);
        // Held-out predictions in the source geometry: 2 folds x 2 held-out volumes per arm.
        Assert.Equal(4, Directory.GetFiles(t.Path("eval", "predictions", "M=1_sal"), "*.nii.gz").Length);

        // A missing model is refused with a one-line reason (old option name, still accepted).
        var bad = CliRunner.Run("evaluate-slices", "--backbone", "x=" + t.Path("nope"), "--cache", t.Path("cache-lab"), "--out", t.Path("eval2"));
        Assert.Equal(1, bad.Exit);
        Assert.Contains("backbone.json", bad.Stderr);
        Assert.DoesNotContain("   at ", bad.Stderr);
    }
}
