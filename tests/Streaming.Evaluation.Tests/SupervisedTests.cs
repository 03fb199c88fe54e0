using Streaming.Evaluation.Data;
using Streaming.Evaluation.Metrics;
using Streaming.Evaluation.Protocols;
using Streaming.Evaluation.Supervised;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Tests;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests;

public class SupervisedTests
{
    public SupervisedTests() => set_num_threads(1);

    /// <summary>16x16x8 CT-like case in HU: a 300 HU box (label 1) and a 40 HU box (label 2) in -1000 HU air.</summary>
    private static LabeledCase Case(int i)
    {
        var s = new Int3(16, 16, 8);
        var g = new VolumeGeometry(s, new Vec3(2, 2, 4), new Vec3(5 * i, 0, 0), Mat3.Identity);
        var hu = new float[s.Volume]; var labels = new byte[s.Volume];
        Array.Fill(hu, -1000f);
        for (var z = 1; z < 6; z++) for (var y = 2 + i % 3; y < 8 + i % 3; y++) for (var x = 2; x < 8; x++) { hu[s.Index(x, y, z)] = 300; labels[s.Index(x, y, z)] = 1; }
        for (var z = 2; z < 7; z++) for (var y = 9; y < 14; y++) for (var x = 9 + i % 2; x < 14 + i % 2; x++) { hu[s.Index(x, y, z)] = 40; labels[s.Index(x, y, z)] = 2; }
        var record = new VolumeRecord
        {
            Id = $"T/case_{i:D2}", Dataset = "T", Modality = Modality.CT, SourcePaths = [$"case_{i}.nii.gz"], SourceFingerprint = $"{i}", SpecKey = "k",
            FinalGeometry = GeometryRecord.From(g), OriginalGeometry = GeometryRecord.From(g), HasLabels = true,
        };
        var source = new Volume<float>(g, hu);
        return new LabeledCase(record.Id, record, LabeledCase.Scaled(source, InputScaling.CtWindow), new Volume<byte>(g, labels)) { Source = source };
    }

    [Fact]
    public void Holdout_splits_are_seeded_and_label_fractions_are_nested_prefixes()
    {
        var ids = Enumerable.Range(0, 90).Select(i => $"D/c{i:D2}").ToList();
        var splits = HoldoutSplit.Split(ids, testCases: 20, repeats: 3, seed: 7);
        Assert.Equal(3, splits.Count);
        foreach (var s in splits)
        {
            Assert.Equal(20, s.Test.Count);
            Assert.Equal(70, s.Train.Count);
            Assert.Equal(ids.Order(), s.Train.Concat(s.Test).Order());
        }
        Assert.NotEqual(splits[0].Test, splits[1].Test);
        Assert.Equal(splits[2].Test, HoldoutSplit.Split(Enumerable.Reverse(ids), 20, 3, 7)[2].Test);
        var ten = HoldoutSplit.Fraction(splits[0].Train, 0.1);
        var twenty = HoldoutSplit.Fraction(splits[0].Train, 0.2);
        Assert.Equal(7, ten.Count);
        Assert.Equal(14, twenty.Count);
        Assert.Equal(ten, twenty.Take(7));
        Assert.Equal(70, HoldoutSplit.Fraction(splits[0].Train, 1.0).Count);
        Assert.Throws<ArgumentException>(() => HoldoutSplit.Split(ids.Take(20), 20, 1, 0));
    }

    [Fact]
    public void Supervised_protocols_default_to_the_soft_tissue_window_and_others_keep_the_models_own()
    {
        var o = new EvaluationOptions();
        Assert.Equal(new InputScaling(-200, 250), o.ScalingFor(Protocol.SimSiam, Modality.CT));
        Assert.Equal(new InputScaling(-200, 250), o.ScalingFor(Protocol.UNet, Modality.CT));
        Assert.Null(o.ScalingFor(Protocol.Linear, Modality.CT)); // the pre-trained model's own contract (backbone.json)
        Assert.True(o.ScalingFor(Protocol.SimSiam, Modality.MR)!.IsIdentity);
        var custom = o with { InputScaling = new Dictionary<Protocol, InputScaling> { [Protocol.SimSiam] = new(-100, 300) } };
        Assert.Equal(new InputScaling(-100, 300), custom.ScalingFor(Protocol.SimSiam, Modality.CT));

        var c = Case(0);
        var soft = c.ScaledWith(o.ScalingFor(Protocol.SimSiam, Modality.CT)!);
        var i300 = (int)c.Shape.Index(3, 3, 2); var i40 = (int)c.Shape.Index(10, 10, 3);
        Assert.Equal(1f, soft.Data[i300]);                         // 300 HU clips at the top of [-200, 250]
        Assert.Equal(240f / 450f, soft.Data[i40], 6);              // 40 HU
        Assert.Equal(1390f / 2350f, c.Input.Data[i40], 6);          // the loaded input stays vox2vec's window
        var parsed = EvaluationConfigLoader.Parse("protocols: [simsiam]\ninputScaling:\n  simsiam: [-160, 240]\n");
        Assert.Equal(new InputScaling(-160, 240), parsed.ScalingFor(Protocol.SimSiam, Modality.CT));
    }

    [Fact]
    public void Study_configs_hold_the_papers_settings_and_the_curve_inherits_the_table()
    {
        var pipelines = Path.Combine(SharedData.RepoRoot(), "pipelines");
        var paper = EvaluationConfigLoader.Load(Path.Combine(pipelines, "eval-voxel-simsiam.yaml"));
        Assert.Equal([Protocol.UNet, Protocol.SimSiam, Protocol.Scl], paper.Protocols);
        Assert.Equal((20, 3, 70), (paper.HoldoutTestCases, paper.HoldoutRepeats, paper.MaxTrainCases));
        var s = paper.Supervised;
        Assert.Equal((32, 4, 4, 1e-3, 1e-5, 0.9, 8750L), (s.Method.UNet.BaseChannels, s.Method.UNet.Levels, s.BatchSize, s.LearningRate, s.WeightDecay, s.PolyPower, s.Steps));
        Assert.Equal((64, 1700, 1000, 1700), (s.Method.HeadHidden, s.Method.MaxVoxelsPerLevel, s.Method.MaxHardVoxelsPerLevel, s.Method.SclNegatives));
        Assert.Equal(["unet", "simsiam-1", "simsiam-3", "scl-3"], s.Arms(paper.Protocols.Select(ProtocolNames.Auxiliary), 9).Select(a => a.Name));
        Assert.Equal([0.0, 100, 10, 0.1], s.Arms(paper.Protocols.Select(ProtocolNames.Auxiliary), 9).Select(a => a.Method.EffectiveLambda));
        Assert.Equal(16_313_184, s.Arms(paper.Protocols.Select(ProtocolNames.Auxiliary), 9)[0].Method.UNet.ConvWeights3x3x3);

        var table = EvaluationConfigLoader.Load(Path.Combine(pipelines, "eval-voxel-simsiam-cpu.yaml"));
        var curve = EvaluationConfigLoader.Load(Path.Combine(pipelines, "eval-voxel-simsiam-cpu-fractions.yaml"));
        Assert.Equal([Protocol.UNet, Protocol.SimSiam], curve.Protocols);
        Assert.Equal([0.1, 0.2, 0.5], curve.Supervised.LabelFractions);
        Assert.Equal([3], curve.Supervised.SimSiamLevels);
        // Everything else is inherited (records compare lists by reference: give both the same ones).
        IReadOnlyList<int> levels = [3];
        Assert.Equal(table.Supervised with { SimSiamLevels = levels, LabelFractions = curve.Supervised.LabelFractions },
            curve.Supervised with { SimSiamLevels = levels });
        Assert.Equal((table.Seed, table.HoldoutTestCases, table.HoldoutRepeats), (curve.Seed, curve.HoldoutTestCases, curve.HoldoutRepeats));

        // Table IV's arm: the table's simsiam-3 with the class weights off, nothing else changed.
        var unweighted = EvaluationConfigLoader.Load(Path.Combine(pipelines, "eval-voxel-simsiam-cpu-noweights.yaml"));
        Assert.Equal([Protocol.SimSiam], unweighted.Protocols);
        Assert.True(table.Supervised.Method.ClassWeights);
        Assert.False(unweighted.Supervised.Method.ClassWeights);
        Assert.Equal(table.Supervised with { SimSiamLevels = levels, LabelFractions = unweighted.Supervised.LabelFractions, Method = table.Supervised.Method with { ClassWeights = false } },
            unweighted.Supervised with { SimSiamLevels = levels });
        Assert.Equal((table.Seed, table.HoldoutTestCases, table.HoldoutRepeats), (unweighted.Seed, unweighted.HoldoutTestCases, unweighted.HoldoutRepeats));
    }

    [Fact]
    public void Labeled_source_deals_epochs_and_is_a_pure_function_of_the_step()
    {
        var cases = Enumerable.Range(0, 5).Select(Case).ToList();
        var source = new LabeledCaseSource(cases, batchSize: 2, patch: null, multiple: 4, foregroundFraction: 0.5, seed: 3);
        // Steps 0..4 hold items 0..9 = two epochs of 5: each epoch sees every case once.
        var items = Enumerable.Range(0, 5).SelectMany(s => source.Batch(s).VolumeIds).ToList();
        Assert.Equal(cases.Select(c => c.Id).Order(), items.Take(5).Order());
        Assert.Equal(cases.Select(c => c.Id).Order(), items.Skip(5).Order());
        var b = source.Batch(3);
        Assert.Equal(b.Images, source.Batch(3).Images);
        var first = cases.Single(c => c.Id == b.VolumeIds[0]);
        Assert.Equal(first.Input.Data, b.Images.Take((int)first.Shape.Volume));
        Assert.Equal(first.Labels.Data, b.Labels.Take((int)first.Shape.Volume));

        var patches = new LabeledCaseSource(cases, 3, new Int3(8, 8, 8), 4, 1.0, seed: 3);
        var p = patches.Batch(1);
        Assert.Equal(new Int3(8, 8, 8), p.PatchShape);
        Assert.Equal(3 * 512, p.Labels.Length);
        Assert.Equal(p.Labels, patches.Batch(1).Labels);
        for (var i = 0; i < 3; i++) Assert.Contains(p.Labels.Skip(512 * i).Take(512), l => l != 0); // foreground-centred
        var small = VolumeGeometry.Axial(new Int3(8, 8, 8), new Vec3(1, 1, 1));
        var other = Case(1) with { Input = new Volume<float>(small), Labels = new Volume<byte>(small) };
        Assert.Contains("targetShape", Assert.Throws<ArgumentException>(() => new LabeledCaseSource([Case(0), other], 2, null, 4, 0.5, 1)).Message);
    }

    [Fact]
    public void Voxel_distances_are_reported_next_to_millimetres()
    {
        var shape = new Int3(8, 6, 4);
        var reference = new byte[shape.Volume]; var predicted = new byte[shape.Volume];
        reference[shape.Index(1, 1, 1)] = 1;
        predicted[shape.Index(4, 5, 1)] = 1; // 3 voxels in x, 4 in y: 5 voxels; in mm sqrt(6² + 6²)
        var m = SegmentationMetrics.ForClass(predicted, reference, shape, new Vec3(2, 1.5, 3), 1);
        Assert.Equal(Math.Sqrt(72), m.Hd95, 9);
        Assert.Equal(5, m.Hd95Voxels, 9);
        Assert.Equal(5, m.MeanSurfaceDistanceVoxels, 9);
    }

    [Fact]
    public void Runner_trains_unet_simsiam_and_scl_arms_on_the_same_holdout_splits()
    {
        var cases = Enumerable.Range(0, 6).Select(Case).ToList();
        var o = new EvaluationOptions
        {
            Protocols = [Protocol.UNet, Protocol.SimSiam, Protocol.Scl], HoldoutTestCases = 2, HoldoutRepeats = 2, Seed = 4, Threads = 1,
            Supervised = new SupervisedOptions
            {
                Method = new VoxelSimSiamOptions
                {
                    UNet = new CicekUNetOptions { BaseChannels = 2, Levels = 3 }, HeadHidden = 8, MaxVoxelsPerLevel = 64, MaxHardVoxelsPerLevel = 32, SclNegatives = 32,
                },
                SimSiamLevels = [1, 2], SclLevels = 2, Steps = 3, BatchSize = 2, LabelFractions = [0.5, 1.0], LogEvery = 1,
            },
        };
        using var dir = new TempDir();
        var r = new EvaluationRunner(o, dir.Root).Run(cases, []);
        Assert.Equal(["unet@50%", "unet", "simsiam-1@50%", "simsiam-1", "simsiam-2@50%", "simsiam-2", "scl-2@50%", "scl-2"], r.Arms.Select(a => a.Arm));
        Assert.Equal(8 * 2 * 2, r.Cases.Count); // 8 arms x 2 splits x 2 held-out cases
        Assert.All(r.Cases, c => Assert.Contains(c.CaseId, r.Folds[c.Fold].Test));
        Assert.All(r.Arms, a => Assert.Equal(2, a.MeanDice.N));
        var pred = r.Cases.First(c => c.Arm == "simsiam-2").PredictionPath!;
        Assert.True(File.Exists(pred));
        // A case held out by both splits keeps one prediction per split.
        Assert.All(r.Cases, c => Assert.Equal(dir.Path("predictions", c.Arm, $"split-{c.Fold}", Path.GetFileName(c.PredictionPath!)), c.PredictionPath));
        Assert.Equal(r.Cases.Count, r.Cases.Select(c => c.PredictionPath).Distinct().Count());

        // Each arm, split and fraction is a run of the shared loop: checkpoints and the exported U-Net with its window.
        var run = dir.Path("runs", "simsiam-2-50pct", "split-1");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "checkpoints")));
        var manifest = Streaming.Training.Export.BackboneExport.ReadManifest(run);
        Assert.Equal("voxel-simsiam", manifest.Method);
        Assert.Equal(new InputScaling(-200, 250), manifest.Input.Scaling);
        Assert.Equal(3, manifest.Step);
        // The same command again reuses the finished runs and scores the same.
        var again = new EvaluationRunner(o, dir.Root).Run(cases, []);
        Assert.Equal(r.Cases.Select(c => c.Classes.Sum(m => m.Dice)), again.Cases.Select(c => c.Classes.Sum(m => m.Dice)));
    }
}
