using System.Globalization;

namespace Streaming.Synth.Output;

/// <summary>
/// FLARE (nnU-Net style): FLARE/imagesTr/FLARE_Tr_0001_0000.nii.gz with FLARE/labelsTr/FLARE_Tr_0001.nii.gz,
/// a few in imagesVa/labelsVa, and images only in unlabeled/.
/// </summary>
internal sealed class FlareLayout : ILayoutWriter
{
    public string DatasetFolder => "FLARE";

    public IReadOnlyList<CasePlan> Plan(SynthOptions o)
    {
        var va = Plans.Few(o.Count, 3);
        var ul = Plans.Few(o.Count, 5);
        var tr = o.Count - va - ul;
        var list = new List<CasePlan>(o.Count);
        for (var i = 0; i < o.Count; i++)
        {
            var (split, n, labeled) = i < tr ? ("Tr", i + 1, true) : i < tr + va ? ("Va", i - tr + 1, true) : ("Ul", i - tr - va + 1, false);
            var seed = Plans.CaseSeed(o.Seed, i);
            list.Add(new CasePlan(i, string.Create(CultureInfo.InvariantCulture, $"FLARE_{split}_{n:D4}"), split,
                Plans.DrawModality(o.Modality, seed), seed, labeled));
        }
        return list;
    }

    public SynthCase Write(CasePlan plan, SynthOptions o, CancellationToken ct)
    {
        var root = Path.Combine(o.OutputDir, DatasetFolder);
        var (images, labels) = plan.Split switch
        {
            "Tr" => ("imagesTr", "labelsTr"),
            "Va" => ("imagesVa", "labelsVa"),
            _ => ("unlabeled", null),
        };
        var image = Path.Combine(root, images, plan.Id + "_0000.nii.gz");
        var label = labels is null ? null : Path.Combine(root, labels, plan.Id + ".nii.gz");
        return NiftiCaseWriter.Write(plan, o, image, label, ct);
    }
}
