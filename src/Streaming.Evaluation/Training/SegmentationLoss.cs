using static TorchSharp.torch;

namespace Streaming.Evaluation.Training;

/// <summary>
/// Cross-entropy plus soft Dice (1 - mean over classes of (2|P∩G| + 1) / (|P| + |G| + 1), summed over the whole batch,
/// nnU-Net's "batch Dice"): the smoothing term makes a class absent from both prediction and batch count as solved.
/// </summary>
public static class SegmentationLoss
{
    /// <param name="logits">(N, K, D, H, W)</param>
    /// <param name="target">(N, D, H, W) int64 class ids</param>
    public static Tensor DiceCrossEntropy(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var ce = nn.functional.cross_entropy(logits, target);
        var probs = nn.functional.softmax(logits, 1);
        // Float one-hot by scatter: no (N, D, H, W, K) int64 intermediate and no permute copy.
        var index = target.unsqueeze(1);
        var onehot = zeros_like(probs).scatter_(1, index, ones(index.shape, dtype: probs.dtype, device: probs.device));
        long[] dims = [0, 2, 3, 4];
        var inter = (probs * onehot).sum(dims);
        var denom = probs.sum(dims) + onehot.sum(dims);
        var dice = (2 * inter + 1) / (denom + 1);
        return (ce + (1 - dice.mean())).MoveToOuterDisposeScope();
    }
}
