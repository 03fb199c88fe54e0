using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>
/// The voxel-level feature layer of voxel-level SimSiam (Lee et al., Fig. 2) on one U-Net level: SimSiam's projection
/// MLP (bias-free Linear-BN-ReLU, Linear-BN-ReLU, Linear-BN without affine) and prediction MLP (bias-free Linear-BN-ReLU,
/// Linear), applied to sampled voxel features (V, C). Returns p = pred(proj(f)) and z = proj(f); the loss stops z's
/// gradient. Without a predictor (the SCL baseline) p is null. Used in training only.
/// </summary>
public sealed class VoxelFeatureLayer : nn.Module
{
    private readonly Sequential projection;
    private readonly Sequential? prediction;

    public VoxelFeatureLayer(int inDim, int hidden, int outDim, bool withPredictor = true, string name = "VoxelFeatureLayer") : base(name)
    {
        if (inDim < 1 || hidden < 1 || outDim < 1) throw new ArgumentException("feature layer dims must be >= 1");
        projection = nn.Sequential(
            ("0", nn.Linear(inDim, hidden, hasBias: false)), ("1", Norms.BatchNorm1d(hidden)), ("2", nn.ReLU()),
            ("3", nn.Linear(hidden, hidden, hasBias: false)), ("4", Norms.BatchNorm1d(hidden)), ("5", nn.ReLU()),
            ("6", nn.Linear(hidden, outDim, hasBias: false)), ("7", nn.BatchNorm1d(outDim, affine: false)));
        if (withPredictor)
            prediction = nn.Sequential(
                ("0", nn.Linear(outDim, hidden, hasBias: false)), ("1", Norms.BatchNorm1d(hidden)), ("2", nn.ReLU()),
                ("3", nn.Linear(hidden, outDim)));
        RegisterComponents();
    }

    public bool HasPredictor => prediction is not null;

    /// <summary>(p, z) for features (V, C); BatchNorm needs V >= 2 in training mode.</summary>
    public (Tensor? P, Tensor Z) Forward(Tensor features)
    {
        var z = projection.forward(features);
        return (prediction?.forward(z), z);
    }
}
