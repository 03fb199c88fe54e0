using Streaming.Sampling.Labeled;
using Streaming.Sampling.Random;
using Streaming.Training.Losses;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods;

/// <summary>
/// Voxel-level SimSiam (Lee et al.) and its baselines as a trainable method on labeled batches: the 3-D U-Net plus
/// one feature layer per exposed level, trained with <see cref="VoxelSimSiamObjective"/>. The voxels each level's
/// loss sees are drawn from a key of (seed, step), so a resumed run draws exactly the same ones.
/// </summary>
public sealed class VoxelSimSiamMethod : IDisposable
{
    private readonly VoxelSiameseModel model;
    private readonly RandomKey key;

    public VoxelSimSiamMethod(VoxelSimSiamOptions options, long seed)
    {
        options.Validate();
        Options = options;
        model = options.CreateModel();
        key = RandomKey.FromSeed(seed).With(0x5195);
    }

    public VoxelSimSiamOptions Options { get; }
    public nn.Module Model => model;
    public VoxelSiameseModel Network => model;
    public CicekUNet3d UNet => model.UNet;

    public StepLoss Forward(LabeledBatch batch, Device device)
    {
        batch.Check();
        var s = batch.PatchShape;
        using var x = tensor(batch.Images, [batch.Items, 1, s.Z, s.Y, s.X]).to(device);
        using var labels = tensor(batch.Labels, [batch.Items, s.Z, s.Y, s.X]);
        using var y = labels.to(ScalarType.Int64, device);
        if (y.max().item<long>() >= Options.UNet.Classes)
            throw new InvalidDataException($"batch {batch.Step}: label {y.max().item<long>()} is outside the model's {Options.UNet.Classes} classes");
        return VoxelSimSiamObjective.Compute(model, Options, x, y, key.With(batch.Step));
    }

    public void Dispose() => model.Dispose();
}
