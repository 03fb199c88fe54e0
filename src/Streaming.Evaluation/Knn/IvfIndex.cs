using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Knn;

/// <summary>
/// Inverted-file approximate nearest-neighbour index (IVF-Flat, as in FAISS): k-means places <c>lists</c> cells over
/// the keys, every key is stored in its nearest cell, and a query scans exactly the keys of its <c>probes</c> nearest
/// cells. The paper used a vantage-point forest; IVF is chosen here because its cost is a few dense matrix products
/// (what libtorch does fast on CPU and GPU) and its one knob, probes/lists, trades recall for time predictably. A query
/// whose probed cells hold fewer than k keys is answered exactly. Deterministic for a seed.
/// </summary>
public sealed class IvfIndex : INeighbourIndex
{
    private static readonly Scalar One = 1.ToScalar();
    private readonly Tensor centroids, centroidNorms, sortedKeys, sortedNorms, order; // order: sorted position → key index
    private readonly long[] offsets;                                                    // cell l holds [offsets[l], offsets[l+1])
    private readonly int probes, queryRows;

    private IvfIndex(Tensor centroids, Tensor sortedKeys, Tensor order, long[] offsets, int probes, int queryRows)
    {
        // The index owns its tensors: detached from whatever dispose scope the caller is in.
        this.centroids = centroids.DetachFromDisposeScope(); centroidNorms = SquaredDistances.Norms(centroids).DetachFromDisposeScope();
        this.sortedKeys = sortedKeys.DetachFromDisposeScope(); sortedNorms = SquaredDistances.Norms(sortedKeys).DetachFromDisposeScope();
        this.order = order.DetachFromDisposeScope(); this.offsets = offsets; this.probes = probes; this.queryRows = queryRows;
    }

    public long Count => sortedKeys.shape[0];
    public int Lists => offsets.Length - 1;
    public int Probes => Math.Min(probes, Lists);

    /// <summary>Cell sizes (for tests and logs).</summary>
    public long[] ListSizes => Enumerable.Range(0, Lists).Select(l => offsets[l + 1] - offsets[l]).ToArray();

    public static IvfIndex Build(Tensor keys, NeighbourIndexOptions o, int queryRows = 4096)
    {
        o.Validate();
        if (keys.dim() != 2 || keys.shape[0] < 1) throw new ArgumentException("IVF index needs (N, D) keys with N >= 1");
        using var scope = NewDisposeScope();
        var x = keys.to(ScalarType.Float32).contiguous();
        long n = x.shape[0];
        int lists = (int)Math.Clamp(o.Lists > 0 ? o.Lists : (long)Math.Round(Math.Sqrt(n)), 1, n);
        var rng = new System.Random(unchecked((int)(o.Seed ^ (o.Seed >> 32)) ^ 0x1F1F));
        var train = x.index_select(0, Sample(n, Math.Min(n, (long)lists * o.TrainPerList), rng));
        var centroids = KMeans(train, lists, o.Iterations, rng);

        var cell = Nearest(x, centroids, queryRows);                    // (N) int64
        var cells = cell.data<long>().ToArray();
        var offsets = new long[lists + 1];
        foreach (var c in cells) offsets[c + 1]++;
        for (var l = 0; l < lists; l++) offsets[l + 1] += offsets[l];
        var next = (long[])offsets.Clone();
        var perm = new long[n];
        for (long i = 0; i < n; i++) perm[next[cells[i]]++] = i;     // counting sort, stable
        var order = tensor(perm);
        var sorted = x.index_select(0, order);
        return new IvfIndex(centroids, sorted, order, offsets, o.Probes, queryRows);
    }

    public Tensor Search(Tensor queries, int k)
    {
        if (k < 1 || k > Count) throw new ArgumentException($"k = {k} must be in 1..{Count}");
        using var scope = NewDisposeScope();
        var q = queries.to(ScalarType.Float32).contiguous();
        var parts = new List<Tensor>();
        for (long i = 0; i < q.shape[0]; i += queryRows)
            parts.Add(SearchRows(q.narrow(0, i, Math.Min(queryRows, q.shape[0] - i)), k));
        return (parts.Count == 0 ? empty([0, k], ScalarType.Int64) : cat(parts, 0)).MoveToOuterDisposeScope();
    }

    private Tensor SearchRows(Tensor q, int k)
    {
        using var scope = NewDisposeScope();
        long m = q.shape[0];
        int p = Probes;
        var (_, probe) = SquaredDistances.Between(q, centroids, centroidNorms).topk(p, dim: 1, largest: false, sorted: false);
        // Group (query, probe slot) pairs by cell: pair id = query * p + slot.
        var cellOfPair = probe.contiguous().data<long>().ToArray();
        var byCell = new List<long>?[Lists];
        for (long pair = 0; pair < cellOfPair.Length; pair++) (byCell[cellOfPair[pair]] ??= []).Add(pair);

        var candD = full([m * p, k], double.PositiveInfinity, ScalarType.Float32);
        var candI = full([m * p, k], 0L, ScalarType.Int64);
        using var slots = p.ToScalar();
        for (var l = 0; l < Lists; l++)
        {
            long size = offsets[l + 1] - offsets[l];
            if (byCell[l] is not { } pairs || size == 0) continue;
            using var inner = NewDisposeScope();
            var pairIds = tensor(pairs.ToArray());
            var rows = q.index_select(0, pairIds.div(slots, rounding_mode: RoundingMode.floor));
            var d = SquaredDistances.Between(rows, sortedKeys.narrow(0, offsets[l], size), sortedNorms.narrow(0, offsets[l], size));
            var kk = (int)Math.Min(k, size);
            var (dv, di) = d.topk(kk, dim: 1, largest: false, sorted: false);
            using var start = offsets[l].ToScalar();
            candD.narrow(1, 0, kk).index_copy_(0, pairIds, dv);
            candI.narrow(1, 0, kk).index_copy_(0, pairIds, di.add(start, One));
        }
        var (best, at) = candD.view(m, (long)p * k).topk(k, dim: 1, largest: false, sorted: true);
        var positions = candI.view(m, (long)p * k).gather(1, at);
        // Rows whose probed cells held fewer than k keys: answer them exactly.
        var short_ = best.isinf().any(1).nonzero().flatten();
        if (short_.shape[0] > 0)
        {
            var rows = q.index_select(0, short_);
            var (_, exact) = SquaredDistances.Between(rows, sortedKeys, sortedNorms).topk(k, dim: 1, largest: false, sorted: true);
            positions.index_copy_(0, short_, exact);
        }
        return order.index_select(0, positions.flatten()).view(m, k).MoveToOuterDisposeScope();
    }

    /// <summary>Index of the nearest centroid of every row, in row chunks.</summary>
    private static Tensor Nearest(Tensor x, Tensor centroids, int rows)
    {
        using var scope = NewDisposeScope();
        var norms = SquaredDistances.Norms(centroids);
        var parts = new List<Tensor>();
        for (long i = 0; i < x.shape[0]; i += rows)
            parts.Add(SquaredDistances.Between(x.narrow(0, i, Math.Min(rows, x.shape[0] - i)), centroids, norms).argmin(1));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Lloyd's k-means from distinct random rows; an emptied cell is re-seeded with a random row.</summary>
    private static Tensor KMeans(Tensor x, int lists, int iterations, System.Random rng)
    {
        using var scope = NewDisposeScope();
        long t = x.shape[0];
        var c = x.index_select(0, Sample(t, lists, rng)).clone();
        for (var it = 0; it < iterations; it++)
        {
            var assign = Nearest(x, c, 8192);
            var sums = zeros([lists, x.shape[1]]).index_add_(0, assign, x, One);
            var counts = assign.bincount(null, lists).to(ScalarType.Float32);
            var empty_ = counts.eq(0).nonzero().flatten().data<long>().ToArray();
            c = sums.div(counts.clamp_min(1).unsqueeze(1));
            if (empty_.Length > 0)
                c.index_copy_(0, tensor(empty_), x.index_select(0, tensor(empty_.Select(_ => rng.NextInt64(t)).ToArray())));
        }
        return c.MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="count"/> distinct indices of [0, n), sorted (partial Fisher-Yates).</summary>
    private static Tensor Sample(long n, long count, System.Random rng)
    {
        var all = new long[n];
        for (long i = 0; i < n; i++) all[i] = i;
        for (long i = 0; i < count; i++)
        {
            var j = i + rng.NextInt64(n - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        var pick = all.AsSpan(0, (int)count).ToArray();
        Array.Sort(pick);
        return tensor(pick);
    }

    public void Dispose()
    {
        centroids.Dispose(); centroidNorms.Dispose(); sortedKeys.Dispose(); sortedNorms.Dispose(); order.Dispose();
    }
}
