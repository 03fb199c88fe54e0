using static TorchSharp.torch;

namespace Streaming.Evaluation.Knn;

/// <summary>Brute-force search: every query against every key, in row chunks (the reference the IVF index is checked against).
/// The index holds its own reference to the keys (an alias, outside any dispose scope); the caller keeps its tensor.</summary>
public sealed class ExactIndex(Tensor keys, int chunkRows = 2048) : INeighbourIndex
{
    private readonly Tensor keys = keys.alias().DetachFromDisposeScope();
    private readonly Tensor norms = SquaredDistances.Norms(keys).DetachFromDisposeScope();

    public long Count => keys.shape[0];

    public Tensor Search(Tensor queries, int k)
    {
        if (k < 1 || k > Count) throw new ArgumentException($"k = {k} must be in 1..{Count}");
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long i = 0; i < queries.shape[0]; i += chunkRows)
        {
            // Each chunk's distance matrix is freed before the next: kept until the end, the matrices of one z-plane of
            // a 3 mm phantom against 3 atlases' keys were gigabytes, and evaluate grew past 22 GB.
            using var chunk = NewDisposeScope();
            var rows = queries.narrow(0, i, Math.Min(chunkRows, queries.shape[0] - i));
            var (_, idx) = SquaredDistances.Between(rows, keys, norms).topk(k, dim: 1, largest: false, sorted: true);
            parts.Add(idx.MoveToOuterDisposeScope());
        }
        return (parts.Count == 0 ? empty([0, k], ScalarType.Int64) : cat(parts, 0)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        keys.Dispose();
        norms.Dispose();
    }
}
