using Streaming.Evaluation.Data;
using Streaming.Evaluation.Inference;
using Streaming.Evaluation.Metrics;
using Streaming.Shards.Cache;
using Streaming.Imaging.Formats.Nifti;
using Streaming.Ingest.Pipeline;
using Streaming.Ingest.Read.Archives;
using Streaming.Shards.Specs;
using Streaming.Sampling;
using Streaming.Tests;

namespace Streaming.Evaluation.Tests;

public class RealDataTests
{
    /// <summary>
    /// Real CT (3 mm, sform with flipped axes) through ingest with the demo spec (3 mm: no resampling change, only
    /// reorientation and body crop): the cached labels, taken as a "prediction" and written back, must equal the
    /// source label file voxel for voxel inside the crop and be background outside it, in the source's geometry.
    /// </summary>
    [SharedDataFact]
    public async Task Cached_labels_written_as_prediction_reproduce_the_source_label_file()
    {
        using var t = new TempDir();
        var spec = SpecLoader.Load(Path.Combine(SharedData.RepoRoot(), "pipelines", "ct-demo-3mm.yaml"));
        var s = await IngestRunner.RunAsync(new IngestOptions
        {
            Sources = [ArchiveSource.Parse("glob:nii=" + SharedData.Path("nifti", "ct-abdomen-3mm") + "/*.nii.gz")],
            CacheRoot = t.Path("cache"), Spec = spec,
        }, null, CancellationToken.None);
        Assert.Equal((1, 0), (s.Done, s.Failed));
        var store = CacheStore.Open(t.Path("cache"), spec);
        var record = Assert.Single(LabeledCaseLoader.LabeledRecords(store));
        var c = LabeledCaseLoader.Load(store, record, InputScaling.CtWindow);
        Assert.InRange(c.Input.Data.Max(), 0.5f, 1f); // CT scaled through the [-1350, 1000] HU window

        // Perfect prediction on the cached grid: Dice 1 and zero surface distance for every present class.
        var present = c.Labels.Data.Where(v => v != 0).Distinct().Select(v => (int)v).Order().ToList();
        Assert.True(present.Count > 10, $"only {present.Count} classes in the real CT labels");
        foreach (var m in SegmentationMetrics.Compute(c.Labels.Data, c.Labels.Data, c.Shape, c.Spacing, present.Take(3).ToList()))
            Assert.Equal((1.0, 0.0), (m.Dice, m.Hd95));

        var path = PredictionWriter.Write(t.Path("pred", PredictionWriter.FileName(c.Id)), c.Labels.Data, c.Record);
        var written = NiftiReader.ReadLabels(path);
        var source = NiftiReader.ReadLabels(SharedData.Path("nifti", "ct-abdomen-3mm", "labels.nii.gz"));
        Assert.Equal(source.Shape, written.Shape);
        Assert.True((source.Geometry.Origin - written.Geometry.Origin).Norm < 1e-3);
        Assert.True(source.Geometry.Direction.ApproximatelyEquals(written.Geometry.Direction, 1e-5));
        long agree = 0, inside = 0, outsideNonZero = 0;
        for (var i = 0; i < source.Data.Length; i++)
        {
            if (written.Data[i] == source.Data[i]) agree++;
            else if (written.Data[i] != 0) outsideNonZero++;
            if (source.Data[i] != 0) inside++;
        }
        // Every disagreement is a source label outside the body crop written as background, never a wrong label.
        Assert.Equal(0, outsideNonZero);
        Assert.True(agree >= source.Data.Length - inside / 100, $"{source.Data.Length - agree} voxels differ");
    }
}
