using Streaming.Evaluation.Comparison;
using static Streaming.Evaluation.Tests.Comparison.SyntheticReports;

namespace Streaming.Evaluation.Tests.Comparison;

public class ArmPlacementTests
{
    [Theory]
    [InlineData("linear/pretrained", 0, "vox2vec", "linear", "random init (vox2vec)", false, false)]
    [InlineData("linear/random-init", 0, "random init (vox2vec)", "linear", null, false, false)]
    [InlineData("knn/handmade-1shot", 0, "handmade", "knn-1", "random init (vox2vec)", false, false)]
    [InlineData("knn/random-init-3shot", 0, "random init (vox2vec)", "knn-3", null, false, false)]
    [InlineData("finetune/pretrained", 8, "vox2vec", "finetune-8", "from scratch", true, false)]
    [InlineData("finetune/pretrained", 0, "vox2vec", "finetune-all", "from scratch", true, false)]
    [InlineData("scratch/scratch", 2, "from scratch", "finetune-2", null, true, true)]
    public void Rows_columns_and_references_follow_backbone_protocol_and_report_options(string arm, int maxTrain, string row, string column, string? reference,
        bool across, bool seedFree)
    {
        Assert.Equal(new ArmPlace(row, column, reference, across, seedFree), ArmPlacement.Place(Case(arm, "a", 0.5), "vox2vec", maxTrain));
    }

    [Fact]
    public void Supervised_and_slice_arms_have_columns_and_unknown_ones_none()
    {
        var simsiam = Case("unet/x", "a", 0.5) with { Arm = "simsiam-3@25%", Protocol = "simsiam", Backbone = "unet" };
        Assert.Equal(new ArmPlace("simsiam-3", "supervised-8@25%", "unet", false), ArmPlacement.Place(simsiam, "m", 8));
        var sal = Case("unet/x", "a", 0.5) with { Arm = "M=4/sal", Protocol = "slice-finetune", Backbone = "sal" };
        Assert.Equal(new ArmPlace("sal", "slice-finetune-4", "random init (sal)", true), ArmPlacement.Place(sal, "sal", 0));
        Assert.Equal(new ArmPlace("random init (sal)", "slice-finetune-4", null, true, SeedFree: true),
            ArmPlacement.Place(sal with { Backbone = "random-init" }, "sal", 0));
        Assert.Null(ArmPlacement.Place(Case("knn/pretrained", "a", 0.5), "m", 0)); // kNN without its shot count
        Assert.Null(ArmPlacement.Place(Case("mystery/pretrained", "a", 0.5), "m", 0));
    }
}
