using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Losses;

/// <summary>
/// Supervised InfoNCE (Khosla et al. 2020's L_out; the pixel-contrast loss of Wang et al. 2021 that voxel-level SimSiam
/// compares against as "SCL") on one level's sampled voxels. Rows [0, anchors) of the embeddings are anchors; every row
/// is a contrast candidate (anchors first, then extra negatives). For anchor i, the positives are the other rows of its
/// class: loss_i = -mean_{p in P(i)} log( exp(e_i·e_p / t) / Σ_{j≠i} exp(e_i·e_j / t) ), averaged over anchors that have
/// a positive (0 when none has). Embeddings are L2-normalised here.
/// </summary>
public static class SupervisedInfoNce
{
    /// <param name="embeddings">(M, d)</param>
    /// <param name="labels">(M) int64</param>
    public static Tensor Loss(Tensor embeddings, Tensor labels, long anchors, double temperature)
    {
        if (embeddings.dim() != 2 || labels.dim() != 1 || labels.shape[0] != embeddings.shape[0])
            throw new ArgumentException($"supervised InfoNCE needs embeddings (M, d) and labels (M); got [{string.Join(", ", embeddings.shape)}], [{string.Join(", ", labels.shape)}]");
        long m = embeddings.shape[0];
        if (anchors < 1 || anchors > m) throw new ArgumentException($"anchors must be in 1..{m}, got {anchors}");
        if (!(temperature > 0)) throw new ArgumentException("temperature must be > 0");
        using var scope = NewDisposeScope();
        using var invT = (1.0 / temperature).ToScalar();
        using var minusInf = double.NegativeInfinity.ToScalar();
        var e = nn.functional.normalize(embeddings, p: 2, dim: 1);
        var a = e.narrow(0, 0, anchors);
        var self = eye(anchors, m, dtype: ScalarType.Bool, device: e.device);                    // (A, M): row i, column i
        var logits = a.matmul(e.t()).mul(invT).masked_fill(self, minusInf);
        var logProb = logits.add(logits.logsumexp(1, keepdim: true), Models.Scalars.MinusOne).masked_fill(self, Models.Scalars.Zero);
        var positive = labels.narrow(0, 0, anchors).unsqueeze(1).eq(labels.unsqueeze(0)).logical_and(self.logical_not()).to(e.dtype);
        var count = positive.sum(1);
        var valid = count.gt(Models.Scalars.Zero).to(e.dtype);
        var perAnchor = logProb.mul(positive).sum(1).div(count.clamp_min(Models.Scalars.One)).neg();
        return perAnchor.mul(valid).sum().div(valid.sum().clamp_min(Models.Scalars.One)).MoveToOuterDisposeScope();
    }
}
