using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Logging;

/// <summary>
/// Collapse monitor for unit-length embeddings: the per-dimension standard deviation over all vectors, averaged
/// over dimensions and multiplied by sqrt(D). Vectors spread evenly over the sphere give about 1; a collapsed
/// embedding (every vector the same) gives 0 while a local alignment loss reads a perfect 0 too, so the loss alone
/// cannot tell learning from collapse (SimSiam's monitor, Chen and He 2021).
/// </summary>
public sealed record EmbeddingSpread(double Value, bool Collapsed)
{
    /// <summary>Below this normalised spread the embedding counts as collapsed.</summary>
    public const double DefaultThreshold = 0.05;

    /// <param name="embeddings">(N, D) vectors, or (B, D, H, W) pixel maps (every pixel is a vector).</param>
    public static EmbeddingSpread Measure(Tensor embeddings, double threshold = DefaultThreshold)
    {
        if (embeddings.dim() is not (2 or 4)) throw new ArgumentException($"spread needs (N, D) or (B, D, H, W); got [{string.Join(", ", embeddings.shape)}]");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var rows = embeddings.dim() == 4
            ? embeddings.detach().permute(0, 2, 3, 1).reshape(-1, embeddings.shape[1])
            : embeddings.detach();
        if (rows.shape[0] < 2) throw new ArgumentException("spread needs at least 2 vectors");
        long d = rows.shape[1];
        var std = rows.to(ScalarType.Float64).std(0, unbiased: false).mean();
        double value = std.item<double>() * Math.Sqrt(d);
        return new EmbeddingSpread(value, value < threshold);
    }
}
