using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Training;

/// <summary>
/// Cross-entropy plus soft Dice (1 - mean over classes of (2|P∩G| + 1) / (|P| + |G| + 1), summed over the whole batch,
/// nnU-Net's "batch Dice"): the smoothing term makes a class absent from both prediction and batch count as solved.
/// </summary>
public static class SegmentationLoss
{
    private static readonly Scalar Two = 2.ToScalar();

    /// <param name="logits">(N, K, D, H, W), or (N, K, H, W) for slices</param>
    /// <param name="target">(N, D, H, W) (or (N, H, W)) int64 class ids</param>
    public static Tensor DiceCrossEntropy(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var ce = nn.functional.cross_entropy(logits, target);
        var probs = nn.functional.softmax(logits, 1);
        // Float one-hot by scatter: no (N, D, H, W, K) int64 intermediate and no permute copy.
        var index = target.unsqueeze(1);
        var onehot = zeros_like(probs).scatter_(1, index, ones(index.shape, dtype: probs.dtype, device: probs.device));
        var dims = new long[] { 0 }.Concat(Enumerable.Range(2, (int)logits.dim() - 2).Select(d => (long)d)).ToArray();
        // Explicit, kept-alive scalars (Training.Models.Scalars): implicit ones can be finalized mid-call.
        var one = Streaming.Training.Models.Scalars.One;
        var inter = probs.mul(onehot).sum(dims);
        var denom = probs.sum(dims).add(onehot.sum(dims), one).add(one);
        var dice = inter.mul(Two).add(one).div(denom);
        // ce + (1 - mean Dice) = ce - mean Dice + 1
        return ce.add(dice.mean(), Streaming.Training.Models.Scalars.MinusOne).add(one).MoveToOuterDisposeScope();
    }
}
