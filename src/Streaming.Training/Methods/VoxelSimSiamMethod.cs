using Streaming.Sampling.Labeled;
using Streaming.Sampling.Random;
using Streaming.Training.Losses;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods;

/// <summary>
/// Voxel-level SimSiam (Lee et al.) and its baselines on labeled batches: the 3-D U-Net plus one feature layer per
/// exposed level ("unet.*", "heads.{i}.*"), trained with <see cref="VoxelSimSiamObjective"/>. The voxels each level's
/// loss sees are drawn from a key taken from torch's global generator, whose state every checkpoint stores, so a
/// resumed run draws exactly the same ones. Exported: the U-Net (a <see cref="FeatureExtractor"/>).
/// </summary>
public sealed class VoxelSimSiamMethod : IPretrainMethod<LabeledBatch>
{
    private readonly VoxelSiameseModel model;

    public VoxelSimSiamMethod(VoxelSimSiamOptions options)
    {
        options.Validate();
        Options = options;
        model = options.CreateModel();
    }

    public VoxelSimSiamOptions Options { get; }
    public nn.Module Model => model;
    public FeatureExtractor Features => model.UNet;
    public VoxelSiameseModel Network => model;

    public StepLoss Forward(LabeledBatch batch, Device device)
    {
        batch.Check();
        var s = batch.PatchShape;
        using var x = tensor(batch.Images, [batch.Items, 1, s.Z, s.Y, s.X]).to(device);
        using var labels = tensor(batch.Labels, [batch.Items, s.Z, s.Y, s.X]);
        var top = batch.Labels.Max();
        if (top >= Options.UNet.Classes)
            throw new InvalidDataException($"batch {batch.Step}: label {top} is outside the model's {Options.UNet.Classes} classes (model.classes, sampling.keepLabels)");
        using var y = labels.to(ScalarType.Int64, device);
        return VoxelSimSiamObjective.Compute(model, Options, x, y, VoxelKey());
    }

    /// <summary>A key for this step's voxel draws from torch's (checkpointed) CPU generator.</summary>
    private static RandomKey VoxelKey()
    {
        using var draw = randint(0, int.MaxValue, [2], dtype: ScalarType.Int64);
        var v = draw.data<long>();
        return RandomKey.FromSeed((v[0] << 31) ^ v[1]);
    }

    public void Dispose() => model.Dispose();
}
