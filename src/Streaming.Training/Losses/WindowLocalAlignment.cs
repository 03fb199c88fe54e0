using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Losses;

/// <summary>
/// SAL's window-based local alignment (WLA). For a pair (a, b) of nearby slices of one volume with unit-length pixel
/// embeddings, both maps are split into aligned h x w windows; inside each window pair the similarity matrix
/// S = E_a E_b^T (h w x h w) is formed, its row-wise maximum taken (each pixel of a's best match in b's window), and
/// the loss is the mean |1 - max| over every pixel of every pair. One window covering the whole map is the naive
/// local alignment (LA) loss. Maps whose size is not a multiple of the window get partial windows at the far edges
/// (padded pixels take part in no similarity and no mean).
/// </summary>
public static class WindowLocalAlignment
{
    /// <param name="embeddings">(B, D, H, W), unit length over D.</param>
    /// <param name="pairs">(P, 2) int64 indices into B: row i compares slice pairs[i, 0] (rows of S) with pairs[i, 1].</param>
    /// <returns>The scalar loss; 0 (with a gradient path) when there are no pairs.</returns>
    public static Tensor Loss(Tensor embeddings, Tensor pairs, int windowH, int windowW)
    {
        if (embeddings.dim() != 4) throw new ArgumentException($"WLA needs (B, D, H, W) embeddings; got [{string.Join(", ", embeddings.shape)}]");
        if (pairs.dim() != 2 || pairs.shape[1] != 2) throw new ArgumentException("WLA pairs must be (P, 2)");
        if (windowH < 1 || windowW < 1) throw new ArgumentException("WLA window must be at least 1 x 1");
        if (pairs.shape[0] == 0) return embeddings.sum().mul(Models.Scalars.Zero);
        long batch = embeddings.shape[0], d = embeddings.shape[1], h = embeddings.shape[2], w = embeddings.shape[3];
        long wh = Math.Min(windowH, h), ww = Math.Min(windowW, w);
        long nh = (h + wh - 1) / wh, nw = (w + ww - 1) / ww, padH = nh * wh - h, padW = nw * ww - w;
        using var scope = NewDisposeScope();
        var padded = padH + padW > 0 ? nn.functional.pad(embeddings, [0, padW, 0, padH]) : embeddings.alias();
        // (B, D, nh, wh, nw, ww) -> (B, nh, nw, wh, ww, D) -> (B, windows, pixels, D)
        var windows = padded.view(batch, d, nh, wh, nw, ww).permute(0, 2, 4, 3, 5, 1).reshape(batch, nh * nw, wh * ww, d);
        var a = windows.index_select(0, pairs.select(1, 0));
        var b = windows.index_select(0, pairs.select(1, 1));
        var s = a.matmul(b.transpose(2, 3));                                   // (P, windows, pixels, pixels)
        Tensor loss;
        if (padH + padW == 0)
        {
            loss = s.amax([-1]).sub(Models.Scalars.One).abs().mean();
        }
        else
        {
            var valid = Valid(h, w, wh, ww, nh, nw, embeddings.device);        // (windows, pixels) bool
            var masked = s.masked_fill(valid.logical_not().view(1, nh * nw, 1, wh * ww), double.NegativeInfinity);
            var err = masked.amax([-1]).sub(Models.Scalars.One).abs();         // padded rows: finite (their window has valid columns)
            var rows = valid.to(err.dtype).unsqueeze(0);
            using var count = ((double)(pairs.shape[0] * h * w)).ToScalar();
            loss = err.mul(rows).sum().div(count);
        }
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Which window pixels lie inside the unpadded map, as (windows, pixels) in the layout of Loss.</summary>
    private static Tensor Valid(long h, long w, long wh, long ww, long nh, long nw, Device device)
    {
        var mask = new bool[nh * nw * wh * ww];
        for (long i = 0; i < nh; i++)
            for (long j = 0; j < nw; j++)
                for (long y = 0; y < wh; y++)
                    for (long x = 0; x < ww; x++)
                        mask[((i * nw + j) * wh + y) * ww + x] = i * wh + y < h && j * ww + x < w;
        return tensor(mask, [nh * nw, wh * ww]).to(device);
    }
}
