using System.Globalization;
using Streaming.Imaging.Volumes;

namespace Streaming.Synth.Output;

/// <summary>
/// AMOS: AMOS/imagesTr/amos_0001.nii.gz with AMOS/labelsTr/amos_0001.nii.gz, imagesVa/labelsVa, imagesTs (no labels).
/// Case ids follow AMOS: CT cases below 500, MRI cases from 500 up.
/// </summary>
internal sealed class AmosLayout : ILayoutWriter
{
    public const int FirstMrId = 500;

    public string DatasetFolder => "AMOS";

    public IReadOnlyList<CasePlan> Plan(SynthOptions o)
    {
        var va = Plans.Few(o.Count, 3);
        var ts = Plans.Few(o.Count, 4);
        var tr = o.Count - va - ts;
        int nextCt = 1, nextMr = FirstMrId;
        var list = new List<CasePlan>(o.Count);
        for (var i = 0; i < o.Count; i++)
        {
            var split = i < tr ? "Tr" : i < tr + va ? "Va" : "Ts";
            var seed = Plans.CaseSeed(o.Seed, i);
            var m = Plans.DrawModality(o.Modality, seed);
            var id = m == Modality.MR ? nextMr++ : nextCt++;
            list.Add(new CasePlan(i, string.Create(CultureInfo.InvariantCulture, $"amos_{id:D4}"), split, m, seed, split != "Ts"));
        }
        if (nextCt > FirstMrId)
            throw new ArgumentException($"synth: AMOS case ids below {FirstMrId} are CT, so at most {FirstMrId - 1} CT cases fit the AMOS layout ({nextCt - 1} planned)");
        return list;
    }

    public SynthCase Write(CasePlan plan, SynthOptions o, CancellationToken ct)
    {
        var root = Path.Combine(o.OutputDir, DatasetFolder);
        var image = Path.Combine(root, "images" + plan.Split, plan.Id + ".nii.gz");
        var label = plan.Labeled ? Path.Combine(root, "labels" + plan.Split, plan.Id + ".nii.gz") : null;
        return NiftiCaseWriter.Write(plan, o, image, label, ct);
    }
}
