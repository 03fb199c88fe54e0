using Streaming.Evaluation.Reports;
using Streaming.Tests;

namespace Streaming.Evaluation.Tests;

public class LabelNamesTests
{
    [Fact]
    public void Names_come_from_nnunet_dataset_json_v1_and_v2_and_from_labels_files()
    {
        using var t = new TempDir();
        File.WriteAllText(t.Path("v2.json"), """{ "channel_names": {"0": "CT"}, "labels": { "background": 0, "liver": 1, "spleen": 2, "organs": [1, 2] } }""");
        var v2 = LabelNames.Load(t.Path("v2.json"));
        Assert.Equal("liver", v2[1]);
        Assert.Equal("spleen", v2[2]);
        Assert.Equal(3, v2.Count); // the region "organs" names no single class

        File.WriteAllText(t.Path("v1.json"), """{ "labels": { "0": "background", "6": "liver" } }""");
        Assert.Equal("liver", LabelNames.Load(t.Path("v1.json"))[6]);

        File.WriteAllText(t.Path("labels.txt"), "# id name\n1 liver\n2: right kidney\n3,spleen\n");
        var txt = LabelNames.Load(t.Path("labels.txt"));
        Assert.Equal(["liver", "right kidney", "spleen"], txt.OrderBy(kv => kv.Key).Select(kv => kv.Value));

        File.WriteAllText(t.Path("itk.txt"), "################################################\n    0     0    0    0        0  0  0    \"Clear Label\"\n   15   255    0    0        1  1  1    \"pancreas head\"\n");
        Assert.Equal("pancreas head", LabelNames.Load(t.Path("itk.txt"))[15]);

        File.WriteAllText(t.Path("dup.txt"), "1 liver\n1 spleen\n");
        Assert.Contains("label 1 named twice", Assert.Throws<InvalidDataException>(() => LabelNames.Load(t.Path("dup.txt"))).Message);
        File.WriteAllText(t.Path("bad.txt"), "liver\n");
        Assert.Contains("bad.txt:1", Assert.Throws<InvalidDataException>(() => LabelNames.Load(t.Path("bad.txt"))).Message);
    }
}
