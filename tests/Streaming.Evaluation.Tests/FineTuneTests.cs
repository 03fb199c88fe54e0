using Streaming.Evaluation.Data;
using Streaming.Evaluation.Heads;
using Streaming.Evaluation.Training;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests;

public class FineTuneTests
{
    [Fact]
    public void Schedule_is_frozen_then_exponential_from_3e5_to_3e4_over_1200_steps()
    {
        var s = BackboneSchedule.FineTune(freezeSteps: 500);
        Assert.True(s.IsFrozen(499));
        Assert.Equal(0, s.LearningRate(499));
        Assert.False(s.IsFrozen(500));
        Assert.Equal(3e-5, s.LearningRate(500), 15);
        Assert.Equal(3e-5 * Math.Sqrt(10), s.LearningRate(500 + 600), 12); // half way: geometric mean
        Assert.Equal(3e-4, s.LearningRate(500 + 1200), 15);
        Assert.Equal(3e-4, s.LearningRate(50_000), 15);
    }

    [Fact]
    public void Backbone_does_not_change_while_frozen_and_learns_after()
    {
        random.manual_seed(5);
        using var backbone = new Vox2VecFpn(new BackboneOptions { BaseChannels = 2, Levels = 2, BlocksPerLevel = 1 });
        using var head = new NonLinearHead(backbone.OutputChannels, classes: 2);
        var shape = new Int3(16, 16, 8);
        var g = VolumeGeometry.Axial(shape, new Vec3(1, 1, 1));
        var input = new float[shape.Volume]; var labels = new byte[shape.Volume];
        for (var z = 2; z < 6; z++) for (var y = 4; y < 12; y++) for (var x = 4; x < 12; x++) { input[shape.Index(x, y, z)] = 1; labels[shape.Index(x, y, z)] = 1; }
        var c = new LabeledCase("t/1", Record(g), new Volume<float>(g, input), new Volume<byte>(g, labels));

        var snapshots = new List<float[]>();
        float[] Snapshot() => backbone.state_dict().Values.SelectMany(t => t.to(ScalarType.Float32).flatten().data<float>().ToArray()).ToArray();
        var before = Snapshot();
        var schedule = new BackboneSchedule(FreezeSteps: 3, StartLr: 1e-2, EndLr: 1e-1, RampSteps: 2);
        var log = EndToEndTrainer.Train(backbone, head, [c], new HeadTrainingOptions { Steps = 6, BatchSize = 1, Patch = new Int3(8, 8, 8), HeadLr = 1e-2 },
            schedule, CPU, _ => snapshots.Add(Snapshot()));

        Assert.Equal(new[] { true, true, true, false, false, false }, log.Select(r => r.BackboneFrozen));
        Assert.Equal(new[] { 0, 0, 0, 1e-2, 1e-2 * Math.Sqrt(10), 1e-1 }, log.Select(r => r.BackboneLr), new Tolerance(1e-12));
        for (var s = 0; s < 3; s++) Assert.Equal(before, snapshots[s]); // weights and batch-norm statistics untouched
        Assert.NotEqual(before, snapshots[3]);
        Assert.NotEqual(snapshots[3], snapshots[4]);
    }

    internal static VolumeRecord Record(VolumeGeometry g) => new()
    {
        Id = "t/1", Dataset = "t", Modality = Modality.CT, SourcePaths = ["x.nii.gz"], SourceFingerprint = "0", SpecKey = "k",
        FinalGeometry = GeometryRecord.From(g), OriginalGeometry = GeometryRecord.From(g), HasLabels = true,
    };

    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;
        public int GetHashCode(double v) => 0;
    }
}
