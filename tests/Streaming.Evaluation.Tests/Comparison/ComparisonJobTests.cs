using System.Text.Json;
using Streaming.Evaluation.Comparison;
using Streaming.Tests;
using static Streaming.Evaluation.Tests.Comparison.SyntheticReports;

namespace Streaming.Evaluation.Tests.Comparison;

public class ComparisonJobTests
{
    [Fact]
    public void Means_seed_spread_and_the_paired_interval_match_a_hand_computed_case()
    {
        // 3 volumes x 2 pre-training seeds x 2 evaluation seeds. Random init scores a 0.5, b 0.4, c 0.3 everywhere;
        // the pre-trained arm adds, per (pre-training seed, evaluation seed):
        //   a: +0.10 +0.20 +0.30 +0.00 (volume mean +0.15)   b: +0.05 x 4 (+0.05)   c: -0.10 +0.10 +0.00 +0.20 (+0.05)
        // Δ = mean(0.15, 0.05, 0.05) = 0.083333; sd = 0.057735; t(0.975, 2) = 4.302653; half = 0.143422.
        // Row mean = 0.4 + 1.0 / 12 = 0.483333; per pre-training seed: p1 2.8 / 6 = 0.466667, p2 3.0 / 6 = 0.5.
        using var t = new TempDir();
        var reference = new Dictionary<string, double> { ["a"] = 0.5, ["b"] = 0.4, ["c"] = 0.3 };
        var delta = new Dictionary<string, double[]> { ["a"] = [0.10, 0.20, 0.30, 0.00], ["b"] = [0.05, 0.05, 0.05, 0.05], ["c"] = [-0.10, 0.10, 0.00, 0.20] };
        var runs = new List<(string, string, string, string, string)>();
        var k = 0;
        foreach (var ps in new[] { "1", "2" })
            foreach (var es in new[] { "10", "20" })
            {
                var i = k++;
                var cases = reference.Keys.SelectMany(v => new[]
                {
                    Case("linear/pretrained", v, reference[v] + delta[v][i]), Case("linear/random-init", v, reference[v]),
                }).ToArray();
                Write(t.Path($"v{ps}-{es}"), 0, cases);
                runs.Add(("in-domain", "vox2vec", ps, es, $"v{ps}-{es}"));
            }

        var outcome = ComparisonJob.Run(new ComparisonRequest { ManifestPath = Manifest(t.Root, runs), OutputDir = t.Path("out") });

        var split = Assert.Single(outcome.Result.Splits);
        Assert.Equal(["vox2vec", "random init (vox2vec)"], split.Rows);
        Assert.Equal(["linear"], split.Columns);
        var cell = split.Cell("vox2vec", "linear")!;
        Assert.Equal(0.483333, cell.MeanDice, 5);
        Assert.Equal((12, 3, 2, 2), (cell.Units, cell.Volumes, cell.PretrainSeeds, cell.EvalSeeds));
        Assert.Equal(0.466667, cell.SeedMin, 5);
        Assert.Equal(0.5, cell.SeedMax, 5);
        Assert.Equal("random init (vox2vec)", cell.Reference);
        var d = cell.Difference!;
        Assert.Equal(3, d.Pairs);
        Assert.Equal(0.083333, d.Mean, 5);
        Assert.Equal(0.057735, d.StdDev, 5);
        Assert.Equal(-0.060088, d.Lower, 5);
        Assert.Equal(0.226755, d.Upper, 5);
        var random = split.Cell("random init (vox2vec)", "linear")!;
        Assert.Equal(0.4, random.MeanDice, 9);
        Assert.Null(random.Difference);

        var md = File.ReadAllText(t.Path("out", "comparison.md"));
        Assert.Contains("| vox2vec | 0.483, Δ +0.083 [-0.060, +0.227] |", md); // not bold: the interval holds 0
        Assert.Contains("| random init (vox2vec) | 0.400, Δ — |", md);
        Assert.Contains("t(0.975, n - 1) · sd / √n", md);
        Assert.Contains("| 1 liver | 0.483 | 0.400 |", md);
        Assert.DoesNotContain("kidney", md); // predicted but never in a reference: not a class of the table
        using var json = JsonDocument.Parse(File.ReadAllText(t.Path("out", "comparison.json")));
        var stored = json.RootElement.GetProperty("result").GetProperty("splits")[0].GetProperty("cells")[0];
        Assert.Equal(0.083333, stored.GetProperty("difference").GetProperty("mean").GetDouble(), 5);
        var png = File.ReadAllBytes(t.Path("out", "comparison.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public void Fine_tuning_pairs_with_scratch_across_reports_and_knn_shots_get_their_own_columns()
    {
        using var t = new TempDir();
        // Scratch runs once for evaluation seed 10 (its own report, listed first); a copy in v1 must be ignored.
        Write(t.Path("s"), 2, Case("scratch/scratch", "a", 0.3), Case("scratch/scratch", "b", 0.2));
        Write(t.Path("v1"), 2, Case("finetune/pretrained", "a", 0.5), Case("finetune/pretrained", "b", 0.3), Case("scratch/scratch", "a", 0.9),
            Case("knn/pretrained-1shot", "a", 0.4), Case("knn/random-init-1shot", "a", 0.35),
            Case("knn/pretrained-3shot", "a", 0.6), Case("knn/random-init-3shot", "a", 0.5),
            Case("linear/handmade", "a", 0.45), Case("linear/random-init", "a", 0.40));
        Write(t.Path("v2"), 2, Case("finetune/pretrained", "a", 0.7), Case("finetune/pretrained", "b", 0.1));
        var log = new List<string>();

        var manifest = Manifest(t.Root, [("s1", "scratch", "-", "10", "s"), ("s1", "vox2vec", "1", "10", "v1"), ("s1", "vox2vec", "2", "10", "v2")]);
        var r = ComparisonJob.Run(new ComparisonRequest { ManifestPath = manifest, OutputDir = t.Path("out") }, log.Add).Result.Splits.Single();

        Assert.Equal(["linear", "knn-1", "knn-3", "finetune-2"], r.Columns);
        Assert.Equal(["vox2vec", "handmade", "random init (vox2vec)", "from scratch"], r.Rows);
        // finetune-2: a: (0.5 - 0.3 + 0.7 - 0.3) / 2 = 0.3, b: (0.3 - 0.2 + 0.1 - 0.2) / 2 = 0.0.
        var ft = r.Cell("vox2vec", "finetune-2")!;
        Assert.Equal(0.4, ft.MeanDice, 9);
        Assert.Equal("from scratch", ft.Reference);
        Assert.Equal(2, ft.Difference!.Pairs);
        Assert.Equal(0.15, ft.Difference.Mean, 9);
        var scratch = r.Cell("from scratch", "finetune-2")!;
        Assert.Equal(0.25, scratch.MeanDice, 9); // the repeated 0.9 in v1 is not a unit
        Assert.Equal(2, scratch.Units);
        Assert.Null(scratch.Difference);
        Assert.Contains(log, l => l == $"from scratch / finetune-2: repeated by 1 later report(s) for the same volumes and seeds (e.g. {t.Path("v1", "report.json")}); the first in the manifest is used");
        Assert.Equal(0.05, r.Cell("vox2vec", "knn-1")!.Difference!.Mean, 9);
        Assert.Equal(0.1, r.Cell("vox2vec", "knn-3")!.Difference!.Mean, 9);
        Assert.True(double.IsNaN(r.Cell("vox2vec", "knn-3")!.Difference!.Lower)); // one volume: no interval
        var handmade = r.Cell("handmade", "linear")!;
        Assert.Equal("random init (vox2vec)", handmade.Reference);
        Assert.Equal(0.05, handmade.Difference!.Mean, 9);
        Assert.Null(r.Cell("vox2vec", "linear"));
    }

    [Fact]
    public void A_difference_whose_interval_excludes_zero_is_bold_and_classes_are_averaged_where_present()
    {
        using var t = new TempDir();
        // Differences 0.10, 0.11, 0.12 over three volumes: mean 0.11, half-width 4.302653 * 0.01 / √3 = 0.024841.
        // Class 2 (spleen) is only in volume c's reference: it enters c's score (0.72 vs 0.60) and its class mean is c's value alone.
        Write(t.Path("h"), 0,
            Case("nonlinear/pretrained", "a", 0.60), Case("nonlinear/random-init", "a", 0.50),
            Case("nonlinear/pretrained", "b", 0.61), Case("nonlinear/random-init", "b", 0.50),
            Case("nonlinear/pretrained", "c", 0.62, class2: 0.82), Case("nonlinear/random-init", "c", 0.50, class2: 0.70));

        var outcome = ComparisonJob.Run(new ComparisonRequest { ManifestPath = Manifest(t.Root, [("ood", "hierarchical", "1", "1", "h")]), OutputDir = t.Path("out") });

        var cell = outcome.Result.Splits[0].Cell("hierarchical", "nonlinear")!;
        Assert.Equal(0.11, cell.Difference!.Mean, 9);
        Assert.Equal(0.11 - 0.024841, cell.Difference.Lower, 5);
        Assert.True(cell.Difference.Better);
        Assert.Equal((0.60 + 0.61 + 0.72) / 3, cell.MeanDice, 9); // volume c: (0.62 + 0.82) / 2
        Assert.Contains("| hierarchical | 0.643, **Δ +0.110 [+0.085, +0.135]** |", outcome.Table);
        var classes = outcome.Result.Splits[0].Classes.Single();
        Assert.Equal(["liver", "spleen"], classes.Labels.Select(l => l.Name));
        Assert.Equal([0.61, 0.82], classes.Rows[0].Dice.Select(x => Math.Round(x, 9)));
        Assert.Equal([0.5, 0.7], classes.Rows[1].Dice.Select(x => Math.Round(x, 9)));
    }

    [Fact]
    public void A_missing_report_bad_header_or_unknown_arm_is_one_error_naming_the_file()
    {
        using var t = new TempDir();
        var manifest = Manifest(t.Root, [("s", "vox2vec", "1", "1", "nowhere")]);
        var missing = Assert.Throws<FileNotFoundException>(() => ComparisonJob.Run(new ComparisonRequest { ManifestPath = manifest, OutputDir = t.Path("out") }));
        Assert.Contains(t.Path("nowhere", "report.json"), missing.Message);
        Assert.Contains("line 2", missing.Message);
        Assert.False(Directory.Exists(t.Path("out"))); // nothing is written before every report is read

        Write(t.Path("odd"), 0, Case("mystery/pretrained", "a", 0.5));
        var oddRun = new ComparisonRequest { ManifestPath = Manifest(t.Root, [("s", "vox2vec", "1", "1", "odd")]), OutputDir = t.Path("out") };
        var odd = Assert.Throws<InvalidDataException>(() => ComparisonJob.Run(oddRun));
        Assert.Contains(t.Path("odd", "report.json"), odd.Message);
        Assert.Contains("'mystery/pretrained'", odd.Message);

        File.WriteAllText(manifest, "split,method,pretrainSeed,evalSeed,report\n");
        var header = Assert.Throws<InvalidDataException>(() => ComparisonJob.Run(new ComparisonRequest { ManifestPath = manifest, OutputDir = t.Path("out") }));
        Assert.StartsWith(manifest + ": the header must be", header.Message);

        Assert.Throws<FileNotFoundException>(() => ComparisonJob.Run(new ComparisonRequest { ManifestPath = t.Path("none.tsv"), OutputDir = t.Path("out") }));
    }

    [Fact]
    public void The_same_units_from_two_reports_are_refused()
    {
        using var t = new TempDir();
        Write(t.Path("x"), 0, Case("linear/pretrained", "a", 0.5));
        Write(t.Path("y"), 0, Case("linear/pretrained", "a", 0.6));
        var twice = new ComparisonRequest { ManifestPath = Manifest(t.Root, [("s", "vox2vec", "1", "1", "x"), ("s", "vox2vec", "1", "1", "y")]), OutputDir = t.Path("out") };
        var e = Assert.Throws<InvalidDataException>(() => ComparisonJob.Run(twice));
        Assert.StartsWith(t.Path("y", "report.json") + ": repeats vox2vec / linear on a", e.Message);
    }

    [Fact]
    public void A_baseline_run_beside_every_method_counts_once()
    {
        using var t = new TempDir();
        static Protocols.CaseScore UNet(string arm, string protocol, double dice) => Case("unet/x", "a", dice) with { Arm = arm, Protocol = protocol, Backbone = "unet" };
        Write(t.Path("x"), 0, Case("linear/pretrained", "a", 0.5), Case("linear/random-init", "a", 0.3), Case("linear/handmade", "a", 0.4),
            UNet("unet", "unet", 0.5), UNet("simsiam-3", "simsiam", 0.6));
        Write(t.Path("z"), 0, Case("linear/pretrained", "a", 0.6), Case("linear/random-init", "a", 0.2), Case("linear/handmade", "a", 0.45),
            UNet("unet", "unet", 0.55), UNet("scl-2", "scl", 0.7));
        var manifest = Manifest(t.Root, [("s", "vox2vec", "1", "1", "x"), ("s", "hierarchical", "1", "1", "z")]);
        var r = ComparisonJob.Run(new ComparisonRequest { ManifestPath = manifest, OutputDir = t.Path("out") }).Result.Splits[0];
        var handmade = r.Cell("handmade", "linear")!;
        Assert.Equal(1, handmade.Units);
        Assert.Equal(0.4, handmade.MeanDice, 9);
        Assert.Equal("random init (vox2vec)", handmade.Reference); // paired in the report it came from
        Assert.Equal(0.1, handmade.Difference!.Mean, 9);
        Assert.Equal(0.4, r.Cell("hierarchical", "linear")!.Difference!.Mean, 9);
        // The plain U-Net of z repeats x's (not a unit) but still pairs with z's own scl arm.
        Assert.Equal(0.5, r.Cell("unet", "supervised-all")!.MeanDice, 9);
        Assert.Equal(0.15, r.Cell("scl-2", "supervised-all")!.Difference!.Mean, 9);
        Assert.Equal(0.1, r.Cell("simsiam-3", "supervised-all")!.Difference!.Mean, 9);
        Assert.Equal(["vox2vec", "hierarchical", "handmade", "unet", "simsiam-3", "scl-2", "random init (vox2vec)", "random init (hierarchical)"], r.Rows);
    }

    [Fact]
    public void Slice_arms_of_every_pre_training_seed_pair_with_one_random_init_per_evaluation_seed()
    {
        // SAL's random init depends on the evaluation seed and fold only: the benchmark fine-tunes it in the first
        // pre-training seed's report and leaves it out of the others (evaluate-slices --no-random-baseline).
        using var t = new TempDir();
        static Protocols.CaseScore Slice(string init, string id, double dice) =>
            Case("unet/x", id, dice) with { Arm = $"M=2/{init}", Protocol = "slice-finetune", Backbone = init };
        Write(t.Path("p0"), 0, Slice("sal", "a", 0.5), Slice("sal", "b", 0.4), Slice("random-init", "a", 0.3), Slice("random-init", "b", 0.3));
        Write(t.Path("p1"), 0, Slice("sal", "a", 0.7), Slice("sal", "b", 0.2));
        Write(t.Path("p2"), 0, Slice("sal", "a", 0.6), Slice("sal", "b", 0.1), Slice("random-init", "a", 0.3), Slice("random-init", "b", 0.3));
        var log = new List<string>();
        var manifest = Manifest(t.Root, [("s", "sal", "0", "0", "p0"), ("s", "sal", "1", "0", "p1"), ("s", "sal", "2", "0", "p2")]);
        var r = ComparisonJob.Run(new ComparisonRequest { ManifestPath = manifest, OutputDir = t.Path("out") }, log.Add).Result.Splits.Single();

        var sal = r.Cell("sal", "slice-finetune-2")!;
        Assert.Equal("random init (sal)", sal.Reference);
        Assert.Equal(6, sal.Units);
        // a: (0.5 + 0.7 + 0.6) / 3 - 0.3 = 0.3; b: (0.4 + 0.2 + 0.1) / 3 - 0.3 = -0.0667.
        Assert.Equal(2, sal.Difference!.Pairs);
        Assert.Equal((0.3 - 0.2 / 3) / 2, sal.Difference.Mean, 9);
        Assert.Equal(2, r.Cell("random init (sal)", "slice-finetune-2")!.Units); // p2's copy is not a unit
        Assert.Contains(log, l => l.StartsWith("random init (sal) / slice-finetune-2: repeated by 1 later report(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_that_names_another_methods_random_init_pairs_with_its_units_of_the_same_seeds()
    {
        // hierarchical's random init is vox2vec's network (randomInit column): only vox2vec's reports hold it, one per
        // pre-training seed; each hierarchical unit pairs with vox2vec's random init of its own seeds, fold and volume.
        using var t = new TempDir();
        Write(t.Path("v1"), 0, Case("linear/pretrained", "a", 0.5), Case("linear/random-init", "a", 0.30), Case("linear/pretrained", "b", 0.4), Case("linear/random-init", "b", 0.20));
        Write(t.Path("v2"), 0, Case("linear/pretrained", "a", 0.6), Case("linear/random-init", "a", 0.10), Case("linear/pretrained", "b", 0.5), Case("linear/random-init", "b", 0.40));
        Write(t.Path("h1"), 0, Case("linear/pretrained", "a", 0.45), Case("linear/pretrained", "b", 0.35));
        Write(t.Path("h2"), 0, Case("linear/pretrained", "a", 0.35), Case("linear/pretrained", "b", 0.30));
        var manifest = t.Path("runs.tsv");
        File.WriteAllLines(manifest, [
            "split\tmethod\tpretrainSeed\tevalSeed\treport\trandomInit",
            "s\tvox2vec\t1\t0\tv1/report.json\t-", "s\tvox2vec\t2\t0\tv2/report.json\t-",
            "s\thierarchical\t1\t0\th1/report.json\tvox2vec", "s\thierarchical\t2\t0\th2/report.json\tvox2vec",
        ]);
        var r = ComparisonJob.Run(new ComparisonRequest { ManifestPath = manifest, OutputDir = t.Path("out") }).Result.Splits.Single();

        Assert.Equal(["vox2vec", "hierarchical", "random init (vox2vec)"], r.Rows);
        var h = r.Cell("hierarchical", "linear")!;
        Assert.Equal("random init (vox2vec)", h.Reference);
        // a: (0.45 - 0.30 + 0.35 - 0.10) / 2 = 0.20; b: (0.35 - 0.20 + 0.30 - 0.40) / 2 = 0.025 (unpaired: no Δ).
        Assert.Equal(2, h.Difference!.Pairs);
        Assert.Equal((0.20 + 0.025) / 2, h.Difference.Mean, 9);
        Assert.Equal(4, r.Cell("random init (vox2vec)", "linear")!.Units);
        Assert.Equal(((0.2 + 0.5) / 2 + (0.2 + 0.1) / 2) / 2, r.Cell("vox2vec", "linear")!.Difference!.Mean, 9);

        // A named method without its own run of those seeds is refused, naming the line.
        File.WriteAllLines(manifest, [
            "split\tmethod\tpretrainSeed\tevalSeed\treport\trandomInit",
            "s\tvox2vec\t1\t0\tv1/report.json\t-", "s\thierarchical\t2\t0\th2/report.json\tvox2vec",
        ]);
        var e = Assert.Throws<InvalidDataException>(() => ComparisonJob.Run(new ComparisonRequest { ManifestPath = manifest, OutputDir = t.Path("out2") }));
        Assert.Equal($"{manifest} line 3: randomInit vox2vec: no run of vox2vec with its own random init for split s, pre-training seed 2 and evaluation seed 0", e.Message);
        Assert.False(Directory.Exists(t.Path("out2")));
    }
}
