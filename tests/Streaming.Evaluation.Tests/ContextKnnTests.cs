using Streaming.Evaluation.Data;
using Streaming.Evaluation.Protocols;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;
using Streaming.Tests;
using Streaming.Training.Methods.Context;

namespace Streaming.Evaluation.Tests;

public class ContextKnnTests
{
    /// <summary>A bright part (label 1) and a dim part (label 2) of a 16 x 12 x 12 volume, the border shifted per case.</summary>
    private static LabeledCase Case(int i)
    {
        var s = new Int3(16, 12, 12);
        var g = new VolumeGeometry(s, new Vec3(4.5, 4.5, 4.5), new Vec3(0, 0, 0), Mat3.Identity);
        var input = new float[s.Volume]; var labels = new byte[s.Volume];
        // Left part bright (label 1), right part dim (label 2); the border moves with the case.
        for (var z = 0; z < s.Z; z++) for (var y = 0; y < s.Y; y++) for (var x = 0; x < s.X; x++)
        {
            var left = x < 7 + i % 3;
            input[s.Index(x, y, z)] = left ? 0.9f : 0.4f;
            labels[s.Index(x, y, z)] = (byte)(left ? 1 : 2);
        }
        var record = new VolumeRecord
        {
            Id = $"T/case_{i}", Dataset = "T", Modality = Modality.CT, SourcePaths = [$"case_{i}.nii.gz"], SourceFingerprint = $"{i}", SpecKey = "k",
            FinalGeometry = GeometryRecord.From(g), OriginalGeometry = GeometryRecord.From(g), HasLabels = true,
        };
        return new LabeledCase(record.Id, record, new Volume<float>(g, input), new Volume<byte>(g, labels));
    }

    [Fact]
    public void Descriptor_grids_run_the_knn_protocol_with_1_and_3_atlases_and_refuse_probes()
    {
        TorchSharp.torch.set_num_threads(1);
        var cases = Enumerable.Range(0, 8).Select(Case).ToList();
        var o = new EvaluationOptions
        {
            Protocols = [Protocol.Knn], Folds = 2, Seed = 1, Threads = 1, KnnK = 3, KnnKeyEvery = 4, KnnQueryEvery = 4, KnnShots = [1, 3],
            WritePredictions = false,
        };
        using var dir = new TempDir();
        var r = new EvaluationRunner(o, dir.Root).Run(cases, [BackboneSource.Random(new GreyValueOptions(), 3, "gvdiff")]);
        Assert.Equal(new[] { "knn/gvdiff-1shot", "knn/gvdiff-3shot" }, r.Arms.Select(a => a.Arm));
        Assert.All(r.Arms, a => Assert.Equal(2, a.MeanDice.N)); // mean over the two folds
        Assert.Equal(2 * 8, r.Cases.Count);                     // every case held out once per arm
        // Grey values alone separate the boxes well on the stride-4 grid (block-filled predictions).
        Assert.All(r.Arms, a => Assert.True(a.MeanDice.Mean > 0.5, $"{a.Arm}: {a.MeanDice.Mean:F3}"));

        var probe = o with { Protocols = [Protocol.Linear] };
        var e = Assert.Throws<ArgumentException>(() => new EvaluationRunner(probe, dir.Root).Run(cases, [BackboneSource.Random(new GreyValueOptions(), 3, "gvdiff")]));
        Assert.Contains("kNN only", e.Message);
    }
}
