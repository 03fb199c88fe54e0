using Streaming.Evaluation.Heads;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Tests;

public class HeadTests
{
    [Fact]
    public void Linear_head_equals_one_linear_classifier_on_concatenated_upsampled_features()
    {
        random.manual_seed(11);
        int[] channels = [3, 5, 7];
        using var head = new LinearProbeHead(channels, classes: 4);
        using var scope = NewDisposeScope();
        var levels = new[] { randn([2, 3, 8, 8, 8]), randn([2, 5, 4, 4, 4]), randn([2, 7, 2, 2, 2]) };
        using var _ = no_grad();
        var got = head.forward(levels);

        // The same map as a classifier: every level brought to full resolution by the same cascade of trilinear x2
        // steps and concatenated (15 channels), weights stacked into one (4 x 15) matrix, biases summed.
        Tensor Cascade(int l)
        {
            var t = levels[l];
            for (var j = l - 1; j >= 0; j--) t = nn.functional.interpolate(t, size: levels[j].shape[2..], mode: InterpolationMode.Trilinear, align_corners: false);
            return t;
        }
        var feats = cat(Enumerable.Range(0, 3).Select(Cascade).ToArray(), 1);
        var w = cat(Enumerable.Range(0, 3).Select(l => head.Level(l).weight!.reshape(4, channels[l])).ToArray(), 1);
        Tensor b = head.Level(0).bias! + head.Level(1).bias! + head.Level(2).bias!;
        var expect = einsum("kc,ncdhw->nkdhw", w, feats) + b.reshape(1, 4, 1, 1, 1);

        Assert.Equal(new long[] { 2, 4, 8, 8, 8 }, got.shape);
        Assert.True((got - expect).abs().max().item<float>() < 1e-4f, "linear head differs from the concatenated linear classifier");
        Assert.Equal(4 * (3 + 5 + 7) + 3 * 4, head.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Nonlinear_head_uses_only_1x1_kernels_and_outputs_full_resolution()
    {
        random.manual_seed(12);
        using var head = new NonLinearHead([4, 8], classes: 3);
        foreach (var (name, p) in head.named_parameters())
            if (name.EndsWith("weight") && p.dim() == 5) Assert.True(p.shape[2..].All(s => s == 1), $"{name} has a spatial kernel {string.Join("x", p.shape[2..])}");
        using var scope = NewDisposeScope();
        var y = head.forward([randn([1, 4, 8, 8, 4]), randn([1, 8, 4, 4, 2])]);
        Assert.Equal(new long[] { 1, 3, 8, 8, 4 }, y.shape);
        // Without spatial kernels a voxel's output depends on its own level-0 features only (plus the upsampled coarse
        // level): changing a far level-0 voxel leaves it unchanged.
        var a = randn([1, 4, 8, 8, 4]); var c = randn([1, 8, 4, 4, 2]);
        var a2 = a.clone(); a2[0, .., 7, 7, 3] = randn([4]);
        head.eval(); // BatchNorm on its running statistics: in training mode batch statistics mix voxels (not spatial context)
        using var _ = no_grad();
        var y1 = head.forward([a, c]); var y2 = head.forward([a2, c]);
        Assert.Equal(0f, (y1[0, .., 0, 0, 0] - y2[0, .., 0, 0, 0]).abs().max().item<float>());
        Assert.NotEqual(0f, (y1[0, .., 7, 7, 3] - y2[0, .., 7, 7, 3]).abs().max().item<float>());
    }

    [Fact]
    public void Nonlinear_head_replicates_the_UNet_decoder_and_is_tens_of_times_smaller_than_the_FPN()
    {
        // vox2vec's full FPN (base 16, 6 levels) and its 14-class probes: the counts the method READMEs state.
        var fpn = new BackboneOptions { BaseChannels = 16, Levels = 6 };
        using var backbone = new Vox2VecFpn(fpn);
        using var head = new NonLinearHead(fpn.LevelChannels(), classes: 14);
        using var linear = new LinearProbeHead(fpn.LevelChannels(), classes: 14);
        static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());
        Assert.Equal(47_530_640, Count(backbone));
        Assert.Equal(615_774, Count(head));
        Assert.Equal(14_196, Count(linear));
        Assert.InRange(Count(backbone) / (double)Count(head), 50, 100); // the paper: "50 times fewer"; ours 77x
        // Per decoder level: the fuse convolution and two residual blocks of 1x1x1 convolutions, as UNet3d's decoder.
        Assert.Contains(head.named_parameters(), p => p.name == "decoder.4.1.conv2.weight");
    }
}
