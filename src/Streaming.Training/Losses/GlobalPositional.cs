using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Losses;

/// <summary>
/// SAL's global positional (GP) loss, the supervised contrastive loss of PCL (Zeng et al. 2021, after Khosla et al.
/// 2020): slices whose relative positions differ by less than theta are positives, whichever subject they come from;
/// for anchor i with positives P(i) (never i itself),
/// loss_i = -1/|P(i)| sum_{p in P(i)} log( exp(z_i.z_p / t) / sum_{a != i} exp(z_i.z_a / t) ),
/// averaged over anchors with at least one positive. Inputs are unit-length slice embeddings.
/// </summary>
public static class GlobalPositional
{
    /// <param name="z">(B, D) unit-length embeddings.</param>
    /// <param name="positions">Per sample: relative slice position (index / slice count).</param>
    public static Tensor Loss(Tensor z, IReadOnlyList<double> positions, double theta, double temperature)
    {
        if (z.dim() != 2 || z.shape[0] < 2) throw new ArgumentException($"GP needs (B >= 2, D) embeddings; got [{string.Join(", ", z.shape)}]");
        if (positions.Count != z.shape[0]) throw new ArgumentException($"GP: {positions.Count} positions for {z.shape[0]} embeddings");
        if (!(theta > 0)) throw new ArgumentException("theta must be > 0");
        if (!(temperature > 0)) throw new ArgumentException("temperature must be > 0");
        int n = positions.Count;
        var positive = new bool[n * n];
        var anchors = new List<long>();
        for (int i = 0; i < n; i++)
        {
            bool any = false;
            for (int j = 0; j < n; j++)
                if (i != j && Math.Abs(positions[i] - positions[j]) < theta) positive[i * n + j] = any = true;
            if (any) anchors.Add(i);
        }
        using var scope = NewDisposeScope();
        if (anchors.Count == 0) return z.sum().mul(Models.Scalars.Zero).MoveToOuterDisposeScope();
        using var invT = (1.0 / temperature).ToScalar();
        var logits = z.matmul(z.t()).mul(invT);
        var self = eye(n, dtype: ScalarType.Bool, device: z.device);
        var logProb = logits.masked_fill(self, double.NegativeInfinity).log_softmax(1);
        var pos = tensor(positive, [n, n]).to(z.device);
        // Non-positives (the diagonal's -inf included) become 0 before the sum, so no -inf x 0 = NaN.
        var sums = logProb.masked_fill(pos.logical_not(), 0.0).sum(1);
        var counts = pos.sum(1).to(sums.dtype);
        var rows = tensor(anchors.ToArray()).to(z.device);
        var perAnchor = sums.index_select(0, rows).div(counts.index_select(0, rows)).neg();
        return perAnchor.mean().MoveToOuterDisposeScope();
    }
}
