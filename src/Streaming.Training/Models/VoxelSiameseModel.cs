using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// Root module of the supervised methods: "unet.*" (what inference uses) and "heads.{i}.*", one voxel-level feature
/// layer per exposed U-Net level, deepest first (none for the plain U-Net). Checkpoints save this module; exports
/// save the U-Net alone.
/// </summary>
public sealed class VoxelSiameseModel : nn.Module
{
    private readonly CicekUNet3d unet;
    private readonly ModuleList<VoxelFeatureLayer> heads;

    public VoxelSiameseModel(CicekUNet3d unet, int featureLevels, int hidden, int outDim, bool withPredictor, string name = "VoxelSiameseModel")
        : base(name)
    {
        if (featureLevels < 0 || featureLevels > unet.Options.Levels) throw new ArgumentException($"feature levels must be in 0..{unet.Options.Levels}");
        this.unet = unet;
        var channels = unet.LevelChannels(featureLevels);
        heads = nn.ModuleList(channels.Select(c => new VoxelFeatureLayer(c, hidden, outDim, withPredictor)).ToArray());
        RegisterComponents();
    }

    public CicekUNet3d UNet => unet;
    public int HeadCount => heads.Count;
    /// <summary>Feature layer of exposed level <paramref name="level"/> (0 = deepest).</summary>
    public VoxelFeatureLayer Head(int level) => heads[level];
}
