using System.Text.Json;
using Streaming.Evaluation.Data;
using Streaming.Evaluation.Features;
using Streaming.Evaluation.Heads;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Reports;
using Streaming.Evaluation.Training;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Tests;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests;

public class RunnerTests
{
    /// <summary>A bright box labeled 1 and a dim box labeled 2 at case-dependent places in a 24x20x12 volume.</summary>
    private static LabeledCase Case(int i)
    {
        var s = new Int3(24, 20, 12);
        var g = new VolumeGeometry(s, new Vec3(2, 2, 3), new Vec3(-10 * i, 5, 0), Mat3.Identity);
        var input = new float[s.Volume]; var labels = new byte[s.Volume];
        for (var z = 2; z < 8; z++) for (var y = 3 + i; y < 10 + i; y++) for (var x = 2 + i; x < 9 + i; x++) { input[s.Index(x, y, z)] = 0.9f; labels[s.Index(x, y, z)] = 1; }
        for (var z = 3; z < 9; z++) for (var y = 4; y < 12; y++) for (var x = 14; x < 20; x++) { input[s.Index(x, y, z)] = 0.4f; labels[s.Index(x, y, z)] = 2; }
        var record = new VolumeRecord
        {
            Id = $"T/case_{i}", Dataset = "T", Modality = Modality.CT, SourcePaths = [$"case_{i}.nii.gz"], SourceFingerprint = $"{i}", SpecKey = "k",
            FinalGeometry = GeometryRecord.From(g), OriginalGeometry = GeometryRecord.From(g), HasLabels = true,
        };
        return new LabeledCase(record.Id, record, new Volume<float>(g, input), new Volume<byte>(g, labels));
    }

    [Fact]
    public void Runner_scores_every_held_out_case_per_arm_and_writes_reports_and_predictions()
    {
        var arch = new Vox2VecOptions { Backbone = new BackboneOptions { BaseChannels = 4, Levels = 2, BlocksPerLevel = 1 } };
        var cases = Enumerable.Range(0, 3).Select(Case).ToList();
        var o = new EvaluationOptions
        {
            Protocols = [Protocol.Linear, Protocol.Knn], Folds = 3, Seed = 1, Threads = 1,
            Training = new HeadTrainingOptions { Steps = 40, BatchSize = 2, Patch = new Int3(16, 16, 8), HeadLr = 5e-2 },
            Window = new SlidingWindow { Window = new Int3(16, 16, 8) }, KnnK = 5, KnnKeyEvery = 2,
            ClassNames = new Dictionary<int, string> { [1] = "bright", [2] = "dim" },
        };
        using var dir = new TempDir();
        var r = new EvaluationRunner(o, dir.Root).Run(cases, [BackboneSource.Random(arch, 3, "a"), BackboneSource.Random(arch, 4, "b")]);

        Assert.Equal(new[] { "linear/a", "knn/a-1shot", "linear/b", "knn/b-1shot" }, r.Arms.Select(a => a.Arm));
        Assert.Equal(4 * 3, r.Cases.Count); // 4 arms x 3 held-out cases (one per fold)
        Assert.Equal(new[] { 1, 2 }, r.Labels);
        // Intensity alone separates the two boxes: even random features get them mostly right.
        foreach (var a in r.Arms) Assert.True(a.MeanDice.Mean > 0.5, $"{a.Arm}: mean Dice {a.MeanDice.Mean:F3}");
        Assert.All(r.Arms, a => Assert.Equal(3, a.MeanDice.N));

        var pred = r.Cases.First(c => c.Arm == "linear/a").PredictionPath!;
        Assert.True(File.Exists(pred));
        var read = NiftiReader.ReadLabels(pred);
        Assert.Equal(cases[0].Shape, read.Shape);

        var files = ReportWriter.Write(dir.Path("report"), r, o, "test");
        using var json = JsonDocument.Parse(File.ReadAllText(files[0]));
        Assert.Equal(4, json.RootElement.GetProperty("result").GetProperty("arms").GetArrayLength());
        var md = File.ReadAllText(files[1]);
        Assert.Contains("| 1 bright |", md);
        Assert.Contains("linear/a", md);
        Assert.True(new FileInfo(files[2]).Length > 100);
    }

    [Fact]
    public void Nonlinear_finetune_and_scratch_arms_run_on_the_same_folds()
    {
        var arch = new Vox2VecOptions { Backbone = new BackboneOptions { BaseChannels = 2, Levels = 2, BlocksPerLevel = 1 } };
        var cases = Enumerable.Range(0, 3).Select(Case).ToList();
        var o = new EvaluationOptions
        {
            Protocols = [Protocol.NonLinear, Protocol.FineTune, Protocol.Scratch], Folds = 3, MaxFolds = 2, Seed = 2, Threads = 1, FreezeSteps = 2,
            Training = new HeadTrainingOptions { Steps = 4, BatchSize = 1, Patch = new Int3(16, 16, 8) },
            Window = new SlidingWindow { Window = new Int3(16, 16, 8) }, WritePredictions = false,
        };
        var r = new EvaluationRunner(o, null).Run(cases, [BackboneSource.Random(arch, 3, "a")]);
        Assert.Equal(new[] { "nonlinear/a", "finetune/a", "scratch/scratch" }, r.Arms.Select(a => a.Arm));
        Assert.Equal(2, r.Folds.Count);
        Assert.Equal(3 * 2, r.Cases.Count); // 3 arms x 2 folds x 1 held-out case
        Assert.All(r.Cases, c => Assert.Null(c.PredictionPath));
        Assert.All(r.Cases, c => Assert.Equal(r.Folds[c.Fold].Test.Single(), c.CaseId));
    }

    [Fact]
    public void Handmade_features_take_the_probes_and_knn_and_skip_finetuning()
    {
        var cases = Enumerable.Range(0, 3).Select(Case).ToList();
        var o = new EvaluationOptions
        {
            Protocols = [Protocol.Linear, Protocol.Knn, Protocol.FineTune], Folds = 3, Seed = 1, Threads = 1, FreezeSteps = 2,
            Training = new HeadTrainingOptions { Steps = 40, BatchSize = 2, Patch = new Int3(16, 16, 8), HeadLr = 5e-2 },
            // The volumes (24 x 20 x 12) exceed the window: the whole-volume extractor must still see them whole.
            Window = new SlidingWindow { Window = new Int3(16, 16, 8) }, KnnK = 5, KnnKeyEvery = 2, WritePredictions = false,
        };
        var log = new List<string>();
        var r = new EvaluationRunner(o, null, log.Add).Run(cases, [BackboneSource.Random(new HandmadeOptions(), 0, "handmade")]);

        Assert.Equal(new[] { "linear/handmade", "knn/handmade-1shot" }, r.Arms.Select(a => a.Arm));
        Assert.Equal(2 * 3, r.Cases.Count); // 2 arms x 3 folds x 1 held-out case
        // Intensity separates the boxes, so a linear probe on it does too.
        foreach (var a in r.Arms) Assert.True(a.MeanDice.Mean > 0.5, $"{a.Arm}: mean Dice {a.MeanDice.Mean:F3}");
        Assert.Single(log, l => l.StartsWith("finetune/handmade: skipped", StringComparison.Ordinal));
    }

    [Fact]
    public void Standardised_head_is_the_inner_head_on_standardised_features()
    {
        random.manual_seed(2);
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 3, 5, 7, 10, 10, 10, 10 }, [2, 1, 2, 2]);     // level 0: 2 channels, 4 voxels
        var b = tensor(new float[] { 2, -2 }, [2, 1, 1, 1]);                          // level 1: 2 channels, 1 voxel
        using var p = new FeaturePyramid([a, b], [new Int3(1, 1, 1), new Int3(2, 2, 1)], new Int3(2, 2, 1), new Int3(2, 2, 1));
        var (mean, std) = StandardizedHead.Statistics([p]);
        Assert.Equal(new[] { 4f, 10f }, mean[0].flatten().data<float>().ToArray());
        Assert.Equal((float)Math.Sqrt(5), std[0].flatten().data<float>()[0], 5); // population std of 1,3,5,7
        Assert.Equal(1e-6f, std[0].flatten().data<float>()[1], 9);                // a constant channel is floored, not divided by 0
        var inner = new LinearProbeHead([2, 2], 3);
        using var head = new StandardizedHead(inner, mean, std);
        var x = new[] { randn([1, 2, 2, 2, 2]), randn([1, 2, 1, 1, 1]) };
        using var _ = no_grad();
        var expect = inner.forward([(x[0] - mean[0]) / std[0], (x[1] - mean[1]) / std[1]]);
        Assert.True((head.forward(x) - expect).abs().max().item<float>() < 1e-5f);
    }
}
