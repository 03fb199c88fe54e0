using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Losses;

/// <summary>
/// Symmetric InfoNCE (NT-Xent) over 2V L2-normalised embeddings: row i's positive is row (i + V) mod 2V, every other
/// row is a negative, self-similarity is excluded; loss = mean over all 2V rows of -log softmax_{j != i}(z_i.z_j / t)
/// at the positive.
/// </summary>
public static class InfoNce
{
    /// <summary>
    /// Chunked InfoNCE: similarities are formed <paramref name="chunkRows"/> rows at a time and the gradient with
    /// respect to z is accumulated analytically, so peak memory is O(chunkRows x 2V) instead of the O((2V)^2) an
    /// autograd graph over all chunks would keep (2V = 20,000 voxels -> 1.6 GB per full matrix). Returns a scalar
    /// whose value is the loss and whose gradient with respect to <paramref name="z"/> is the exact InfoNCE gradient.
    /// </summary>
    public static Tensor Loss(Tensor z, double temperature, int chunkRows = 2048)
    {
        Check(z, temperature);
        if (chunkRows < 1) throw new ArgumentException("infoNce chunk rows must be >= 1");
        long rows = z.shape[0], half = rows / 2;
        Tensor grad, lossSum;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var zd = z.detach();
            var g = zeros_like(zd);
            var total = zeros(1, dtype: ScalarType.Float64, device: z.device);
            for (long start = 0; start < rows; start += chunkRows)
            {
                long c = Math.Min(chunkRows, rows - start);
                var zc = zd.narrow(0, start, c);
                var partners = arange(start, start + c, dtype: ScalarType.Int64, device: z.device).add_(half).remainder_(rows);
                var zp = zd.index_select(0, partners);
                var s = zc.matmul(zd.t()).div_(temperature);                 // (c, 2V)
                s.narrow(1, start, c).diagonal().fill_(double.NegativeInfinity);
                var lse = s.logsumexp(1, keepdim: true);                      // (c, 1)
                var pos = (zc * zp).sum(1).div_(temperature);                 // (c)
                total.add_((lse.squeeze(1) - pos).sum().to(ScalarType.Float64));
                var p = s.sub_(lse).exp_();                                   // softmax rows; self column exp(-inf) = 0
                // d/dz of sum_i lse_i: rows get P z, every row j gets sum_i P_ij z_i.
                g.narrow(0, start, c).add_(p.matmul(zd)).sub_(zp);
                g.add_(p.t().matmul(zc));
                // d/dz of -sum_i s_{i,p(i)}: the partner row gets -z_i.
                g.index_add_(0, partners, zc, -1.0);
            }
            g.mul_(1.0 / (rows * temperature));
            grad = g.MoveToOuterDisposeScope();
            lossSum = total.div_(rows).to(z.dtype).squeeze().MoveToOuterDisposeScope();
        }
        // value: loss + (a - a) = loss exactly; gradient with respect to z: grad.
        using var a = (z * grad).sum();
        using var detached = a.detach();
        using var zero = a.add(detached, Models.Scalars.MinusOne);
        var result = zero.add(lossSum, Models.Scalars.One);
        grad.Dispose(); lossSum.Dispose();
        return result;
    }

    /// <summary>Direct InfoNCE with the full (2V x 2V) similarity matrix and ordinary autograd (small inputs, tests).</summary>
    public static Tensor Reference(Tensor z, double temperature)
    {
        Check(z, temperature);
        long rows = z.shape[0], half = rows / 2;
        using var s = z.matmul(z.t()).div(temperature);
        using var mask = eye(rows, dtype: ScalarType.Bool, device: z.device);
        using var masked = s.masked_fill(mask, double.NegativeInfinity);
        using var target = arange(rows, dtype: ScalarType.Int64, device: z.device).add_(half).remainder_(rows);
        return TorchSharp.torch.nn.functional.cross_entropy(masked, target);
    }

    private static void Check(Tensor z, double temperature)
    {
        if (z.dim() != 2 || z.shape[0] < 2 || z.shape[0] % 2 != 0)
            throw new ArgumentException($"InfoNCE needs (2V, D) embeddings with V >= 1; got shape [{string.Join(", ", z.shape)}]");
        if (!(temperature > 0)) throw new ArgumentException("InfoNCE temperature must be > 0");
    }
}
