using Streaming.Evaluation.Data;
using Streaming.Evaluation.Inference;
using Streaming.Evaluation.Metrics;

namespace Streaming.Evaluation.Protocols;

/// <summary>Scores one held-out prediction (Dice, HD95, MSD per class present in either map) and writes it in the source geometry.</summary>
public static class CaseScoring
{
    /// <param name="reference">The label map scored against (the case's labels, or a subset of them).</param>
    /// <param name="predictionsDir">Root of the prediction NIfTI files (predictions/ARM/ID.nii.gz); null writes none.</param>
    /// <param name="subfolder">A folder under the arm's (predictions/ARM/SUB/ID.nii.gz), e.g. one per repeated hold-out split.</param>
    public static CaseScore Score(string arm, string protocol, string backbone, int fold, LabeledCase c, byte[] reference, byte[] predicted, string? predictionsDir,
        string? subfolder = null)
    {
        var labels = Present(reference).Union(Present(predicted)).Order().ToList();
        var metrics = SegmentationMetrics.Compute(predicted, reference, c.Shape, c.Spacing, labels);
        string? path = null;
        if (predictionsDir is not null && c.Record.OriginalGeometry is not null)
        {
            var folder = Path.Combine(predictionsDir, "predictions", arm.Replace('/', '_'), subfolder ?? "");
            path = PredictionWriter.Write(Path.Combine(folder, PredictionWriter.FileName(c.Id)), predicted, c.Record);
        }
        return new CaseScore(arm, protocol, backbone, fold, c.Id, metrics, path);
    }

    /// <summary>A volume's score: its mean Dice over the classes present in its reference (NaN when none is).</summary>
    public static double VolumeDice(CaseScore c)
    {
        var d = c.Classes.Where(m => m.ReferenceVoxels > 0).Select(m => m.Dice).Where(double.IsFinite).ToArray();
        return d.Length == 0 ? double.NaN : d.Average();
    }

    /// <summary>Foreground labels present in a map, ascending.</summary>
    public static IEnumerable<int> Present(byte[] labels)
    {
        var seen = new bool[256];
        foreach (var v in labels) seen[v] = true;
        for (var i = 1; i < 256; i++) if (seen[i]) yield return i;
    }
}
