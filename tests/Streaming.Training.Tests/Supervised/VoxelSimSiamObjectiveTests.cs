using Streaming.Sampling.Random;
using Streaming.Training.Losses;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Tests.Supervised;

public class VoxelSimSiamObjectiveTests
{
    // One intra-op thread: libtorch's OpenMP threads spin when the 2 shared cores are oversubscribed.
    public VoxelSimSiamObjectiveTests() => set_num_threads(1);

    private static VoxelSimSiamOptions Tiny(AuxiliaryLoss aux, int levels = 3) => new()
    {
        UNet = new CicekUNetOptions { Classes = 3, BaseChannels = 2, Levels = 4 }, Auxiliary = aux, FeatureLevels = levels,
        HeadHidden = 8, MaxVoxelsPerLevel = 40, MaxHardVoxelsPerLevel = 20, SclNegatives = 30,
    };

    private static (Tensor X, Tensor Y) Batch()
    {
        var gen = new Generator(9);
        var y = zeros([2, 16, 16, 16], dtype: ScalarType.Int64);
        y[TensorIndex.Colon, TensorIndex.Slice(2, 10), TensorIndex.Slice(4, 12), TensorIndex.Slice(4, 12)] = tensor(1L);
        y[TensorIndex.Colon, TensorIndex.Slice(10, 14), TensorIndex.Slice(8, 12), TensorIndex.Slice(2, 6)] = tensor(2L);
        var x = y.to(ScalarType.Float32).unsqueeze(1).add(randn([2, 1, 16, 16, 16], generator: gen).mul(0.3.ToScalar()), Scalars.One);
        return (x, y);
    }

    [Theory]
    [InlineData(AuxiliaryLoss.SimSiam, 3, 10.0)]
    [InlineData(AuxiliaryLoss.SimSiam, 1, 100.0)]
    [InlineData(AuxiliaryLoss.Scl, 3, 0.1)]
    public void Total_is_dice_plus_lambda_times_the_level_sum(AuxiliaryLoss aux, int levels, double lambda)
    {
        using var scope = NewDisposeScope();
        var o = Tiny(aux, levels);
        Assert.Equal(lambda, o.EffectiveLambda);
        manual_seed(1);
        using var model = o.CreateModel();
        Assert.Equal(levels, model.HeadCount);
        var (x, y) = Batch();
        var l = VoxelSimSiamObjective.Compute(model, o, x, y, RandomKey.FromSeed(5));
        var name = VoxelSimSiamObjective.Name(aux);
        var levelSum = Enumerable.Range(1, levels).Sum(i => l.Parts[$"{name}{i}"].item<float>());
        Assert.Equal(levelSum, l.Parts[name].item<float>(), 4);
        Assert.Equal(l.Parts["dice"].item<float>() + lambda * levelSum, l.Total.item<float>(), 3);
        if (aux == AuxiliaryLoss.SimSiam) Assert.InRange(levelSum, -levels, levels);
        l.Total.backward();
        // Gradients reach the U-Net's deepest encoder weights through the auxiliary heads and the classifier.
        Assert.All(model.named_parameters().Where(p => p.name.StartsWith("heads.") && !p.name.Contains("prediction")),
            p => Assert.True(p.parameter.grad is not null && p.parameter.grad.abs().sum().item<float>() > 0, p.name));
    }

    [Fact]
    public void Plain_unet_is_soft_dice_alone_and_voxel_choice_follows_the_key()
    {
        using var scope = NewDisposeScope();
        var plain = Tiny(AuxiliaryLoss.None);
        Assert.Equal(0, plain.EffectiveLambda);
        manual_seed(1);
        using var unet = plain.CreateModel();
        Assert.Equal(0, unet.HeadCount);
        var (x, y) = Batch();
        var l = VoxelSimSiamObjective.Compute(unet, plain, x, y, RandomKey.FromSeed(5));
        Assert.Equal(l.Parts["dice"].item<float>(), l.Total.item<float>());
        Assert.Single(l.Parts);

        var o = Tiny(AuxiliaryLoss.SimSiam);
        manual_seed(1);
        using var model = o.CreateModel();
        model.eval(); // BatchNorm in eval mode: the loss depends only on the voxels drawn
        float Run(long seed) => VoxelSimSiamObjective.Compute(model, o, x, y, RandomKey.FromSeed(seed)).Parts["simsiam"].item<float>();
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void Level_labels_take_the_block_majority()
    {
        using var scope = NewDisposeScope();
        var y = zeros([1, 4, 4, 4], dtype: ScalarType.Int64);
        // Block (0,0,0): 5 of 8 voxels class 2 -> 2; block (1,1,1): 3 of 8 class 1 -> 0; block (0,0,1): 4/4 tie of 1 and 2 -> 1.
        long[][] twos = [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1]];
        foreach (var v in twos) y[0, v[0], v[1], v[2]] = tensor(2L);
        foreach (var v in new long[][] { [2, 2, 2], [3, 3, 3], [2, 3, 2] }) y[0, v[0], v[1], v[2]] = tensor(1L);
        foreach (var v in new long[][] { [0, 0, 2], [0, 1, 2], [1, 0, 2], [1, 1, 2] }) y[0, v[0], v[1], v[2]] = tensor(1L);
        foreach (var v in new long[][] { [0, 0, 3], [0, 1, 3], [1, 0, 3], [1, 1, 3] }) y[0, v[0], v[1], v[2]] = tensor(2L);
        var m = LevelLabels.Majority(y, 3, 2);
        Assert.Equal(new long[] { 1, 2, 2, 2 }, m.shape);
        Assert.Equal(2, m[0, 0, 0, 0].item<long>());
        Assert.Equal(0, m[0, 1, 1, 1].item<long>());
        Assert.Equal(1, m[0, 0, 0, 1].item<long>());
    }
}
