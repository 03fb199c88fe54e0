using Streaming.Imaging.Volumes;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Tests;

public class ModelTests
{
    [Fact]
    public void Vox2VecFpn_FullSize_Has1008DimRepresentationAndStridedLevels()
    {
        using var scope = NewDisposeScope();
        using var fpn = new Vox2VecFpn(new BackboneOptions { BaseChannels = 16, Levels = 6 });
        Assert.Equal(new[] { 16, 32, 64, 128, 256, 512 }, fpn.OutputChannels);
        Assert.Equal(1008, fpn.RepresentationDim);
        fpn.eval();
        using var _ = no_grad();
        var pyr = fpn.forward(zeros([1, 1, 32, 32, 32]));
        for (int l = 0; l < 6; l++)
            Assert.Equal(new long[] { 1, 16 << l, 32 >> l, 32 >> l, 32 >> l }, pyr[l].shape);
        var reps = VoxelGather.Gather(pyr, tensor(new long[] { 0, 0, 0, 31, 31, 31, 5, 9, 17 }, [1, 3, 3]));
        Assert.Equal(new long[] { 3, 1008 }, reps.shape);
    }

    [Fact]
    public void UNet_ablation_outputs_one_full_resolution_map_of_the_finest_width()
    {
        // vox2vec's UNet ablation reads voxels from the last decoder layer only (paper: 57.9 vs 69.2 Dice for the FPN).
        using var scope = NewDisposeScope();
        using var net = new UNet3d(new BackboneOptions { BaseChannels = 4, Levels = 3 });
        Assert.Equal(4, net.RepresentationDim);
        Assert.Equal(new Int3(4, 4, 4), net.Alignment); // the encoder still pools twice
        net.eval();
        using var _ = no_grad();
        var maps = net.forward(zeros([1, 1, 8, 12, 16]));
        var map = Assert.Single(maps);
        Assert.Equal(new long[] { 1, 4, 8, 12, 16 }, map.shape);
        Assert.Throws<ArgumentException>(() => net.forward(zeros([1, 1, 8, 12, 18])));
        Assert.Equal("vox2vec-unet", new Vox2VecOptions { Decoder = Vox2VecDecoder.UNet }.Name);
    }

    [Fact]
    public void UNet_pyramid_variant_has_the_FPNs_levels_and_fuse_layers()
    {
        using var scope = NewDisposeScope();
        using var net = new UNet3d(new BackboneOptions { BaseChannels = 4, Levels = 3 }, pyramid: true);
        Assert.Equal(4 + 8 + 16, net.RepresentationDim);
        net.eval();
        using var _ = no_grad();
        var pyr = net.forward(zeros([1, 1, 8, 12, 16]));
        Assert.Equal(3, pyr.Length);
        Assert.Equal(new long[] { 1, 16, 2, 3, 4 }, pyr[2].shape);
        Assert.Contains(net.named_parameters(), p => p.name.StartsWith("fuse.0."));
        Assert.Equal("vox2vec-unet-pyramid", new Vox2VecOptions { Decoder = Vox2VecDecoder.UNetPyramid }.Name);
    }

    [Fact]
    public void Hierarchical_FullSize_trains_160_projected_dims_and_probes_see_the_raw_992_dim_pyramid()
    {
        using var method = new HierarchicalMethod(new HierarchicalOptions
        {
            Backbone = new BackboneOptions { BaseChannels = 32, Levels = 5, Norm = NormKind.Group },
        });
        // The paper's probes attach to the FPN pyramid (32 + 64 + 128 + 256 + 512); the loss sees 5 x 32 projections.
        Assert.Equal(new[] { 32, 64, 128, 256, 512 }, method.Features.OutputChannels);
        Assert.Equal(992, method.Features.RepresentationDim);
        var head = method.Model.named_parameters().First(p => p.name == "head.mlp.0.weight").parameter;
        Assert.Equal(160, head.shape[1]);
        using var projected = new HierarchicalOptions
        {
            Backbone = new BackboneOptions { BaseChannels = 32, Levels = 5, Norm = NormKind.Group }, Readout = HierarchicalReadout.Projected,
        }.CreateFeatures();
        Assert.Equal(160, projected.RepresentationDim);
        var state = method.Model.state_dict();
        for (int l = 0; l < 5; l++)
        {
            var w = state[$"backbone.level_projections.{l}.weight"];
            Assert.Equal(new long[] { 32, 32 << l, 1, 1, 1 }, w.shape);
            Assert.True(state.ContainsKey($"backbone.level_projections.{l}.bias"));
        }
        var trained = method.Model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("backbone.level_projections.4.weight", trained);
        Assert.Contains("reconstruction.conv1.weight", trained);
        Assert.Contains("head.mlp.6.weight", trained);
    }

    [Fact]
    public void NormLayers_StartAtWeightOneBiasZero()
    {
        using var block = new ResidualBlock3d(16, NormKind.Group);
        using var bblock = new ResidualBlock3d(16, NormKind.Batch);
        int seen = 0;
        foreach (var (name, p) in block.named_parameters().Concat(bblock.named_parameters()))
        {
            if (!name.StartsWith("norm")) continue;
            float expected = name.EndsWith("weight") ? 1f : 0f;
            Assert.Equal(16, p.numel());
            Assert.All(p.data<float>().ToArray(), v => Assert.Equal(expected, v));
            seen++;
        }
        Assert.Equal(8, seen);
    }

    [Fact]
    public void VoxelGather_ReadsFloorDividedPositionsPerLevel()
    {
        using var scope = NewDisposeScope();
        // Level 0: 1 channel, 4x4x4, value = linear index; level 1: 2x2x2 with value = 100 + linear index.
        var l0 = arange(64, dtype: ScalarType.Float32).reshape(1, 1, 4, 4, 4);
        var l1 = arange(8, dtype: ScalarType.Float32).add(100).reshape(1, 1, 2, 2, 2);
        var pos = tensor(new long[] { 3, 2, 1, 0, 0, 3 }, [1, 2, 3]); // (z,y,x) = (3,2,1), (0,0,3)
        var r = VoxelGather.Gather([l0, l1], pos);
        // (3,2,1): 3*16+2*4+1 = 57; level 1 at (1,1,0): 100 + 4+2+0 = 106.  (0,0,3): 3; level 1 (0,0,1): 101.
        Assert.Equal(new float[] { 57, 106, 3, 101 }, r.data<float>().ToArray());
    }
}
