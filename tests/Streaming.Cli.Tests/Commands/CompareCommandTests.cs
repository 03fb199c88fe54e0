using Streaming.Tests;

namespace Streaming.Cli.Tests.Commands;

public class CompareCommandTests
{
    /// <summary>A hand-written minimal report.json: one volume per arm, class 1 only (the fields compare reads).</summary>
    private static string Report(params (string Arm, string Protocol, string Backbone, string Id, double Dice)[] cases) =>
        "{\"options\": {\"maxTrainCases\": 0}, \"result\": {\"cases\": [" + string.Join(", ", cases.Select(c =>
            $"{{\"arm\": \"{c.Arm}\", \"protocol\": \"{c.Protocol}\", \"backbone\": \"{c.Backbone}\", \"fold\": 0, \"caseId\": \"{c.Id}\", \"classes\": " +
            $"[{{\"label\": 1, \"referenceVoxels\": 10, \"predictedVoxels\": 10, \"intersection\": 8, \"dice\": {c.Dice.ToString(System.Globalization.CultureInfo.InvariantCulture)}, \"hd95\": null, \"meanSurfaceDistance\": null}}]}}")) + "]}}";

    [Fact]
    public void Compare_writes_the_tables_and_summarises_the_paired_difference()
    {
        using var t = new TempDir();
        Directory.CreateDirectory(t.Path("r"));
        File.WriteAllText(t.Path("r", "report.json"), Report(("linear/pretrained", "linear", "pretrained", "a", 0.8), ("linear/random-init", "linear", "random-init", "a", 0.6),
            ("linear/pretrained", "linear", "pretrained", "b", 0.7), ("linear/random-init", "linear", "random-init", "b", 0.4)));
        File.WriteAllText(t.Path("runs.tsv"), "split\tmethod\tpretrainSeed\tevalSeed\treport\nphantoms\tvox2vec\t1\t1\tr/report.json\n");

        var r = CliRunner.Run("compare", t.Path("runs.tsv"), "--out", t.Path("out"), "--json");

        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Contains("| vox2vec | 0.750, Δ +0.250 [", r.Stderr); // the table goes to stderr under --json
        var cell = CliRunner.Summary(r.Stdout).GetProperty("splits")[0].GetProperty("cells")[0];
        Assert.Equal("vox2vec", cell.GetProperty("row").GetString());
        Assert.Equal(0.25, cell.GetProperty("delta").GetDouble(), 9);
        Assert.True(File.Exists(t.Path("out", "comparison.png")));
    }

    [Fact]
    public void A_missing_report_is_one_line_naming_it()
    {
        using var t = new TempDir();
        File.WriteAllText(t.Path("runs.tsv"), "split\tmethod\tpretrainSeed\tevalSeed\treport\nphantoms\tvox2vec\t1\t1\tgone/report.json\n");
        var r = CliRunner.Run("compare", t.Path("runs.tsv"), "--out", t.Path("out"));
        Assert.Equal(1, r.Exit);
        Assert.Contains($"error: {t.Path("gone", "report.json")}: report not found (line 2 of {t.Path("runs.tsv")})", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
