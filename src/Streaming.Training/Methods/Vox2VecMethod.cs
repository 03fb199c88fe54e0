using Streaming.Sampling.Pairs;
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
        var x = BatchTensors.Views(batch.ViewsA, batch.ViewsB, batch, device);
        var pos = BatchTensors.Positions(batch, device);
        var pyramid = model.Backbone.forward(x);
        var reps = VoxelGather.Gather(pyramid, pos);   // (2 N M, 1008): A voxels then their B partners
        var z = model.Head.forward(reps);
        var loss = InfoNce.Loss(z, options.Temperature, options.InfoNceChunkRows);
        return new StepLoss(loss, new Dictionary<string, Tensor> { ["infonce"] = loss });
    }

    public void Dispose() => model.Dispose();
}
