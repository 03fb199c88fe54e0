using static TorchSharp.torch;

namespace Streaming.Training.Losses;

/// <summary>How the class-conditional SimSiam loss aggregates the pairs of one class.</summary>
public enum PairAggregation
{
    /// <summary>mean p̂ · mean ẑ: the average cosine over all same-class pairs, in [-1, 1] (default; makes λ = 10 plausible).</summary>
    Mean,
    /// <summary>(Σ p̂) · (Σ ẑ): the paper's literal Eq. (4), the sum over all same-class pairs, growing with the class size squared.</summary>
    Sum,
}

/// <summary>
/// The class-conditional SimSiam loss of voxel-level SimSiam (Lee et al., Eqs. 4-6) on one level's sampled voxels:
/// L = -Σ_c w_c Σ_{i,j in c} p̂_i · stopgrad(ẑ_j) with p̂, ẑ L2-normalised. The double sum over pairs equals
/// (Σ_i p̂_i) · (Σ_j ẑ_j), so each class costs O(N) (one matrix product with the one-hot labels) instead of O(N²).
/// Pairs include i = j (the voxel against its own projection, SimSiam's two-view term with identical views).
/// </summary>
public static class ClassConditionalSimSiamLoss
{
    /// <param name="p">(V, d) predictions (gradient flows)</param>
    /// <param name="z">(V, d) projections (gradient stopped here)</param>
    /// <param name="labels">(V) int64 class ids in [0, classes)</param>
    /// <param name="weighted">Normalised inverse-frequency class weights (Eq. 6); false = every class weight 1 (Eq. 5).</param>
    public static Tensor Loss(Tensor p, Tensor z, Tensor labels, int classes, PairAggregation aggregation = PairAggregation.Mean, bool weighted = true)
    {
        Check(p, z, labels, classes);
        using var scope = NewDisposeScope();
        var ph = nn.functional.normalize(p, p: 2, dim: 1);
        var zh = nn.functional.normalize(z.detach(), p: 2, dim: 1);
        var onehot = nn.functional.one_hot(labels, classes).to(p.dtype).t();   // (K, V)
        var counts = onehot.sum(1);                                            // (K)
        var pairSums = onehot.matmul(ph).mul(onehot.matmul(zh)).sum(1);        // (K): Σ_{i,j in c} p̂_i · ẑ_j
        var perClass = aggregation == PairAggregation.Mean ? pairSums.div(counts.mul(counts).clamp_min(Models.Scalars.One)) : pairSums;
        var w = weighted ? InverseFrequencyWeights(counts) : counts.gt(Models.Scalars.Zero).to(p.dtype);
        return perClass.mul(w).sum().neg().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// w_c = (|P| / |P^c|) / Σ_c' (|P| / |P^c'|) over the classes present (|P^c| > 0); absent classes get 0.
    /// </summary>
    /// <param name="counts">(K) voxels per class, float</param>
    public static Tensor InverseFrequencyWeights(Tensor counts)
    {
        using var scope = NewDisposeScope();
        var present = counts.gt(Models.Scalars.Zero);
        var inverse = counts.sum().div(counts.clamp_min(Models.Scalars.One)).mul(present.to(counts.dtype));
        return inverse.div(inverse.sum()).MoveToOuterDisposeScope();
    }

    private static void Check(Tensor p, Tensor z, Tensor labels, int classes)
    {
        if (p.dim() != 2 || z.dim() != 2 || !p.shape.SequenceEqual(z.shape) || labels.dim() != 1 || labels.shape[0] != p.shape[0])
            throw new ArgumentException($"class-conditional SimSiam needs p and z (V, d) and labels (V); got [{string.Join(", ", p.shape)}], " +
                                        $"[{string.Join(", ", z.shape)}], [{string.Join(", ", labels.shape)}]");
        if (classes < 1) throw new ArgumentException("classes must be >= 1");
    }
}
