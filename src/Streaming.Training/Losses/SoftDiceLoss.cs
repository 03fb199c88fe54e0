using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Losses;

/// <summary>
/// Multi-label soft Dice of V-Net (Milletari et al. 2016), voxel-level SimSiam's Eq. (3): per class c,
/// 2 Σ p g / (Σ p² + Σ g²) with p = softmax(logits) and g the one-hot target, sums over every voxel of the batch;
/// loss = 1 - mean over classes (background included). A small smoothing term keeps a class absent from both at 1.
/// </summary>
public static class SoftDiceLoss
{
    public const double Smooth = 1e-5;

    /// <param name="logits">(N, K, D, H, W)</param>
    /// <param name="target">(N, D, H, W) int64 class ids in [0, K)</param>
    public static Tensor Loss(Tensor logits, Tensor target)
    {
        if (logits.dim() != 5 || target.dim() != 4) throw new ArgumentException("soft Dice needs logits (N, K, D, H, W) and target (N, D, H, W)");
        using var scope = NewDisposeScope();
        using var smooth = Smooth.ToScalar();
        using var two = 2.0.ToScalar();
        var probs = nn.functional.softmax(logits, 1);
        var onehot = OneHot(target, probs);
        long[] dims = [0, 2, 3, 4];
        var inter = probs.mul(onehot).sum(dims);
        var denom = probs.mul(probs).sum(dims).add(onehot.sum(dims), Models.Scalars.One);
        var dice = inter.mul(two).add(smooth).div(denom.add(smooth));
        return dice.mean().neg().add(Models.Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>Float one-hot of <paramref name="target"/> shaped like <paramref name="like"/> (scatter: no int64 (N, D, H, W, K) copy).</summary>
    internal static Tensor OneHot(Tensor target, Tensor like)
    {
        using var index = target.unsqueeze(1);
        using var ones = torch.ones(index.shape, dtype: like.dtype, device: like.device);
        using var zeros = zeros_like(like);
        return zeros.scatter(1, index, ones);
    }
}
