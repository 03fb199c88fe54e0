using Streaming.Evaluation.Slices;
using Streaming.Imaging.Volumes;
using Streaming.Training.Export;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests.Slices;

public class SliceFineTuneTests
{
    private static readonly UNet2dOptions Tiny = new() { Widths = [4, 8, 8], Norm = NormKind.Batch };

    private static SliceFineTuneOptions Options(int steps) => new()
    {
        Folds = 2, LabeledSubjects = [1, 2], Steps = steps, BatchSize = 4, LearningRate = 1e-2, Model = Tiny, Seed = 3, WritePredictions = false, Threads = 1,
    };

    [Fact]
    public void PredictionStacksEverySliceInOrderAndCropsThePadding()
    {
        manual_seed(4);
        using var net = new SliceSegmenter(Tiny, 3);
        net.eval();
        // Large classifier weights, so the labels follow the features rather than the bias (a vacuous all-one-class
        // map would compare equal however the slices were ordered).
        using (no_grad())
            foreach (var (name, param) in net.named_parameters())
                if (name == "classifier.weight") param.mul_(1000);
        var shape = new Int3(10, 6, 5); // pads to 12 x 8 (multiples of 4)
        var input = Enumerable.Range(0, (int)shape.Volume).Select(i => (float)Math.Sin(i * 0.37)).ToArray();
        var predicted = SlicePredictor.Predict(net, input, shape, batch: 2, CPU);
        using var _ = no_grad();
        for (var z = 0; z < shape.Z; z++)
        {
            // One slice alone through the network, padded by hand: the same labels as the batched, stacked prediction.
            using var slice = tensor(input.AsSpan(z * 60, 60).ToArray(), [1, 1, 6, 10]);
            using var padded = nn.functional.pad(slice, [0, 2, 0, 2]);
            using var labels = net.forward(padded).argmax(1)[0].narrow(0, 0, 6).narrow(1, 0, 10).to(ScalarType.Byte).contiguous();
            Assert.Equal(labels.data<byte>().ToArray(), predicted.AsSpan(z * 60, 60).ToArray());
        }
        Assert.True(predicted.Distinct().Count() > 1, "a random network should not predict one class everywhere");
    }

    [Fact]
    public void FineTuningLearnsTheBlocks()
    {
        var cases = new[] { SliceTestCases.Case("t/a", new Int3(12, 12, 6), 0), SliceTestCases.Case("t/b", new Int3(12, 12, 6), 2) };
        var prepared = cases.Select(c => new SliceCase(c, [])).ToList();
        var o = Options(60);
        using var net = SliceInit.Random().Create(Tiny, 3, 1);
        var log = SliceFineTuner.Train(net, prepared, o, seed: 1, CPU);
        Assert.True(log[^1].Loss < log[0].Loss * 0.5, $"loss {log[0].Loss:F3} -> {log[^1].Loss:F3}");
        var predicted = SlicePredictor.Predict(net, cases[1].Input.Data, cases[1].Shape, 4, CPU);
        var metrics = Streaming.Evaluation.Metrics.SegmentationMetrics.ForClass(predicted, cases[1].Labels.Data, cases[1].Shape, cases[1].Spacing, 1);
        Assert.True(metrics.Dice > 0.8, $"Dice of the bright block {metrics.Dice:F3}");
    }

    [Fact]
    public void ForegroundDrawsOnlyPickSlicesShowingAClass()
    {
        var c = new SliceCase(SliceTestCases.Case("t/a", new Int3(12, 12, 8), 0), []);
        // Class 1 on slices 1..6, class 2 on the even ones of those.
        Assert.Equal([[1, 2, 3, 4, 5, 6], [2, 4, 6]], c.SlicesOf);
        var rng = new Random(1);
        var draws = Enumerable.Range(0, 200).Select(_ => SliceFineTuner.DrawSlice(c, 1.0, rng)).ToList();
        Assert.All(draws, z => Assert.InRange(z, 1, 6));
        var any = Enumerable.Range(0, 400).Select(_ => SliceFineTuner.DrawSlice(c, 0.0, rng)).ToHashSet();
        Assert.Equal(8, any.Count);
        // Kept labels: class 2 dropped to background.
        var only1 = new SliceCase(SliceTestCases.Case("t/a", new Int3(12, 12, 8), 0), [1]);
        Assert.DoesNotContain((byte)2, only1.Labels);
        Assert.Single(only1.SlicesOf);
    }

    [Fact]
    public void EveryInitStartsFromTheSameDecoderAndAPretrainedOneFromItsEncoder()
    {
        using var t = new Streaming.Tests.TempDir();
        manual_seed(99);
        using (var pretrained = new UNet2d(Tiny))
            Safetensors.Write(Path.Combine(t.Root, BackboneExport.WeightsFile), pretrained.state_dict().Select(kv => (kv.Key, kv.Value)));
        using var a = SliceInit.Random().Create(Tiny, 3, 7);
        using var b = SliceInit.Random("other").Create(Tiny, 3, 7);
        using var p = SliceInit.Pretrained(t.Root, "sal").Create(Tiny, 3, 7);
        var (file, _) = Safetensors.Read(Path.Combine(t.Root, BackboneExport.WeightsFile));
        var sa = a.state_dict(); var sb = b.state_dict(); var sp = p.state_dict();
        foreach (var (name, ta) in sa)
        {
            Assert.True(ta.equal(sb[name]).all().item<bool>(), $"random inits differ at {name}");
            var unetName = name.StartsWith("unet.", StringComparison.Ordinal) ? name["unet.".Length..] : null;
            if (unetName is not null && unetName.StartsWith("encoder.", StringComparison.Ordinal))
                Assert.True(sp[name].equal(file[unetName]).all().item<bool>(), $"{name} was not loaded");
            else
                Assert.True(sp[name].equal(ta).all().item<bool>(), $"{name} must keep the seed's init");
        }
        Assert.Contains(sa.Keys, k => k.StartsWith("unet.encoder.", StringComparison.Ordinal) && !sa[k].equal(sp[k]).all().item<bool>());
        foreach (var f in file.Values) f.Dispose();
        // A file of another shape names the mismatch.
        var e = Assert.Throws<InvalidDataException>(() => SliceInit.Pretrained(t.Root, "sal").Create(Tiny with { Widths = [4, 8, 16] }, 3, 7));
        Assert.Contains("widths", e.Message);
    }

    [Fact]
    public void ShippedConfigsLoadAndBadKeysNameTheProblem()
    {
        var files = Directory.GetFiles(Path.Combine(Streaming.Tests.SharedData.RepoRoot(), "pipelines"), "sal-eval*.yaml");
        Assert.Equal(3, files.Length);
        foreach (var f in files) SliceFineTuneConfigLoader.Load(f);
        var study = SliceFineTuneConfigLoader.Load(files.Single(f => f.EndsWith("phantoms.yaml")));
        Assert.Equal([1, 2, 4, 8], study.LabeledSubjects);
        Assert.Equal(new Streaming.Sampling.Slices.PlaneShape(80, 80), study.Patch);
        Assert.Equal([1, 2, 3, 4, 5], study.Labels);
        // The study as run (docs/methods/sal.md): the phantom protocol on 48 x 48 crops, first fold, 60 steps.
        var small = SliceFineTuneConfigLoader.Load(files.Single(f => f.EndsWith("sal-eval-study.yaml")));
        Assert.Equal((new Streaming.Sampling.Slices.PlaneShape(48, 48), 2, 1, 60, 8), (small.Patch, small.Folds, small.MaxFolds, small.Steps, small.BatchSize));
        Assert.Equal(study.LabeledSubjects, small.LabeledSubjects);
        Assert.Equal(study.Labels, small.Labels);
        Assert.Contains("did you mean 'steps'", Assert.ThrowsAny<Exception>(() => SliceFineTuneConfigLoader.Parse("stpes: 3")).Message);
        Assert.Contains("patch", Assert.Throws<InvalidDataException>(() => SliceFineTuneConfigLoader.Parse("patch: [30, 32]")).Message);
        Assert.Contains("labeled subject", Assert.Throws<InvalidDataException>(() => SliceFineTuneConfigLoader.Parse("labeledSubjects: [0]")).Message);
    }

    [Fact]
    public void RunnerTrainsEveryInitOnTheSameSubjectsAndScoresEveryHeldOutCase()
    {
        var cases = Enumerable.Range(0, 4).Select(i => SliceTestCases.Case($"t/{i}", new Int3(12, 12, 6), i % 3)).ToList();
        var lines = new List<string>();
        var result = new SliceEvaluationRunner(Options(2), null, lines.Add).Run(cases, [SliceInit.Random(), SliceInit.Random("copy")]);
        Assert.Equal(2, result.Folds.Count);
        // 2 folds x M in {1, 2} x 2 inits x 2 held-out cases.
        Assert.Equal(16, result.Cases.Count);
        Assert.Equal(["M=1/random-init", "M=1/copy", "M=2/random-init", "M=2/copy"], result.Arms.Select(a => a.Arm));
        // Same seed, same subjects, same init: the two random arms must score identically.
        foreach (var m in new[] { 1, 2 })
            Assert.Equal(result.Cases.Where(c => c.Arm == $"M={m}/random-init").Select(c => c.Classes.Sum(x => x.Dice)),
                result.Cases.Where(c => c.Arm == $"M={m}/copy").Select(c => c.Classes.Sum(x => x.Dice)));
        Assert.Contains(lines, l => l.Contains("M=2/copy fold 1"));
        Assert.Equal([1, 2], result.Labels);
    }
}
