using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Knn;

/// <summary>Squared Euclidean distances by the expansion |q|² - 2 q·k + |k|² (one matrix product).</summary>
internal static class SquaredDistances
{
    private static readonly Scalar MinusTwo = (-2).ToScalar();
    private static readonly Scalar One = 1.ToScalar();

    /// <summary>Row norms squared, (N).</summary>
    public static Tensor Norms(Tensor x) => x.square().sum(1);

    /// <summary>(Q, N) distances between rows of <paramref name="q"/> and <paramref name="k"/>, given |k|² (N).</summary>
    public static Tensor Between(Tensor q, Tensor k, Tensor kNorms)
    {
        using var scope = NewDisposeScope();
        var d = q.matmul(k.t()).mul_(MinusTwo);
        d.add_(kNorms.unsqueeze(0), One).add_(Norms(q).unsqueeze(1), One);
        return d.MoveToOuterDisposeScope();
    }
}
