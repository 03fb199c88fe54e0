using static TorchSharp.torch;

namespace Streaming.Evaluation.Knn;

/// <summary>Nearest keys of query rows under squared Euclidean distance.</summary>
public interface INeighbourIndex : IDisposable
{
    long Count { get; }
    /// <summary>(Q, k) int64 indices of each query's k nearest keys, nearest first. <paramref name="queries"/> is (Q, D).</summary>
    Tensor Search(Tensor queries, int k);
}
