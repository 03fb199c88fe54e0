using Streaming.Sampling;
using Streaming.Sampling.Pairs;
using Streaming.Training.Logging;
using Streaming.Training.Losses;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Methods;

/// <summary>
/// vox2vec (Goncharov et al. 2023): both views through the backbone in one batch, every sampled voxel's
/// multi-level representation through the projection head, symmetric InfoNCE over all 2 x N x M voxels.
/// </summary>
public sealed class Vox2VecMethod : IPretrainMethod<PairBatch>
{
    private readonly PretrainModel model;
    private readonly Vox2VecOptions options;
    private readonly BatchUpload upload = new();

    public Vox2VecMethod(Vox2VecOptions o)
    {
        o.Validate();
        options = o;
        var backbone = o.CreateFeatures();
        int rep = backbone.RepresentationDim;
        model = new PretrainModel(backbone, new ProjectionHead(rep, o.HeadHidden == 0 ? rep : o.HeadHidden, o.HeadOut), null);
    }

    public nn.Module Model => model;
    public FeatureExtractor Features => model.Backbone;

    public StepLoss Forward(PairBatch batch, Device device)
    {
        BatchTensors.Check(batch, needClean: false);
        var x = upload.Views("views", batch.ViewsA, batch.ViewsB, batch, device);
        var pos = upload.Positions(batch, device);
        StepTimer.Mark("h2d");
        // bf16: the backbone runs in bfloat16 (MixedPrecision); gather, head and InfoNCE in float32.
        var pyramid = model.Backbone.forward(x.to(MixedPrecision.DType(options.Precision)));
        var reps = VoxelGather.Gather(pyramid, pos).to(ScalarType.Float32);   // (2 N M, 1008): A voxels then their B partners
        var z = model.Head.forward(reps);
        StepTimer.Mark("forward");
        var loss = InfoNce.Loss(z, options.Temperature, options.InfoNceChunkRows);
        StepTimer.Mark("infonce");
        return new StepLoss(loss, new Dictionary<string, Tensor> { ["infonce"] = loss });
    }

    public void Dispose()
    {
        upload.Dispose();
        model.Dispose();
    }
}
