using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// MLP projection head on voxel representations: (Linear, BatchNorm1d, ReLU) x 2 then Linear, then L2
/// normalisation (vox2vec: 1008-1008-1008-128; hierarchical: 160-160-160-128). Input (V, in), output (V, out).
/// </summary>
public sealed class ProjectionHead : nn.Module<Tensor, Tensor>
{
    private readonly Sequential mlp;

    public ProjectionHead(int inDim, int hiddenDim, int outDim, string name = "ProjectionHead") : base(name)
    {
        if (inDim < 1 || hiddenDim < 1 || outDim < 1) throw new ArgumentException("projection head dims must be >= 1");
        mlp = nn.Sequential(
            ("0", nn.Linear(inDim, hiddenDim)), ("1", Norms.BatchNorm1d(hiddenDim)), ("2", nn.ReLU()),
            ("3", nn.Linear(hiddenDim, hiddenDim)), ("4", Norms.BatchNorm1d(hiddenDim)), ("5", nn.ReLU()),
            ("6", nn.Linear(hiddenDim, outDim)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = mlp.forward(x);
        return nn.functional.normalize(h, p: 2, dim: 1);
    }
}
