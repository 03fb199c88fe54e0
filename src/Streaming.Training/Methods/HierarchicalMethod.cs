using Streaming.Sampling;
using Streaming.Sampling.Pairs;
using Streaming.Training.Logging;
using Streaming.Training.Losses;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods;

/// <summary>
/// Hierarchical dense SSL: InfoNCE on equal-width per-level projections (160 dims for 5 levels of 32) plus a
/// reconstruction of the un-augmented patches from the finest decoder level: total = InfoNCE + w x MSE (w = 10).
/// </summary>
public sealed class HierarchicalMethod : IPretrainMethod<PairBatch>
{
    private readonly PretrainModel model;
    private readonly HierarchicalOptions options;
    private readonly HierarchicalBackbone backbone;
    private readonly BatchUpload upload = new();

    public HierarchicalMethod(HierarchicalOptions o)
    {
        o.Validate();
        options = o;
        backbone = (HierarchicalBackbone)o.CreateFeatures();
        int rep = backbone.RepresentationDim;
        model = new PretrainModel(backbone, new ProjectionHead(rep, o.HeadHidden == 0 ? rep : o.HeadHidden, o.HeadOut),
            new ReconstructionHead(backbone.FinestChannels, o.Backbone.InChannels));
    }

    public nn.Module Model => model;
    public FeatureExtractor Features => backbone;

    public StepLoss Forward(PairBatch batch, Device device)
    {
        BatchTensors.Check(batch, needClean: true);
        var x = upload.Views("views", batch.ViewsA, batch.ViewsB, batch, device);
        var clean = upload.Views("clean", batch.CleanA!, batch.CleanB!, batch, device);
        var pos = upload.Positions(batch, device);
        StepTimer.Mark("h2d");
        // bf16: the backbone runs in bfloat16 (MixedPrecision); heads and losses in float32.
        var pyramid = backbone.Finest(x.to(MixedPrecision.DType(options.Precision)), out var finest);
        var z = model.Head.forward(VoxelGather.Gather(pyramid, pos).to(ScalarType.Float32));
        var recon = model.Reconstruction!.forward(finest.to(ScalarType.Float32));
        StepTimer.Mark("forward");
        var nce = InfoNce.Loss(z, options.Temperature, options.InfoNceChunkRows);
        var mse = nn.functional.mse_loss(recon, clean);
        // Explicit, kept-alive scalars (see Models.Scalars): total = InfoNCE + weight x MSE.
        using var weight = options.ReconstructionWeight.ToScalar();
        var total = nce.add(mse.mul(weight), Models.Scalars.One);
        StepTimer.Mark("infonce");
        return new StepLoss(total, new Dictionary<string, Tensor> { ["infonce"] = nce, ["mse"] = mse });
    }

    public void Dispose()
    {
        upload.Dispose();
        model.Dispose();
    }
}
