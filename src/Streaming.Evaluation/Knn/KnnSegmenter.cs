using Streaming.Evaluation.Features;
using Streaming.Imaging.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Knn;

/// <summary>
/// kNN segmentation ("3D context feature learning"): the voxel representation (every pyramid level, nearest-upsampled
/// and concatenated — what pre-training contrasted; for the context descriptors, the 192-d descriptor) of every
/// <see cref="KeyEvery"/>-th voxel along each axis of the labeled volumes forms the key set; each query voxel takes
/// the majority label of its <see cref="K"/> nearest keys (Euclidean as in the paper, or cosine; ties go to the
/// smaller label id). One-shot and few-shot evaluation are this with 1..9 labeled volumes. Keys are searched exactly
/// or through an <see cref="IvfIndex"/> (<see cref="NeighbourIndexOptions"/>), built once and reused by every query volume.
/// </summary>
public sealed class KnnSegmenter : IDisposable
{
    private readonly Tensor keys;   // (N, D); unit rows for the cosine metric
    private readonly Tensor labels; // (N) int64
    private readonly NeighbourIndexOptions indexOptions;
    private INeighbourIndex? exact, approximate;

    private KnnSegmenter(Tensor keys, Tensor labels, int k, int keyEvery, int classes, KnnMetric metric, NeighbourIndexOptions index)
    {
        this.keys = keys; this.labels = labels; K = k; KeyEvery = keyEvery; Classes = classes; Metric = metric; indexOptions = index;
    }

    public int K { get; }
    public int KeyEvery { get; }
    public int Classes { get; }
    public KnnMetric Metric { get; }
    public long KeyCount => keys.shape[0];
    /// <summary>Which search the last <see cref="Predict"/> used ("exact" or "ivf").</summary>
    public string? LastSearch { get; private set; }

    /// <summary>
    /// Largest similarity matrix (query rows x keys, float32) one chunk may hold. Rows per chunk shrink as keys grow:
    /// 4096 rows against the 166 K keys of 9 demo volumes were 2.7 GB per chunk, and evaluate reached 17 GB.
    /// </summary>
    public const long MaxSimilarityBytes = 128L << 20;

    /// <summary>Query rows per chunk: at most <paramref name="chunkRows"/>, and few enough that rows x <paramref name="keys"/> floats fit <see cref="MaxSimilarityBytes"/>.</summary>
    public static int RowsPerChunk(long keys, int chunkRows) =>
        (int)Math.Clamp(MaxSimilarityBytes / (Math.Max(1, keys) * sizeof(float)), 1, Math.Max(1, chunkRows));

    public static KnnSegmenter Build(IEnumerable<(FeaturePyramid Pyramid, byte[] Labels)> labeled, int k = 21, int keyEvery = 4,
        KnnMetric metric = KnnMetric.Euclidean, NeighbourIndexOptions? index = null)
    {
        index ??= new NeighbourIndexOptions();
        index.Validate();
        if (k < 1) throw new ArgumentException("k must be >= 1");
        if (keyEvery < 1) throw new ArgumentException("key stride must be >= 1");
        var feats = new List<Tensor>(); var labs = new List<Tensor>();
        var classes = 0;
        try
        {
            foreach (var (p, l) in labeled)
            {
                if (l.Length != p.Shape.Volume) throw new ArgumentException($"labels have {l.Length} voxels, volume {p.Shape} needs {p.Shape.Volume}");
                feats.Add(Features(p, keyEvery));
                using var lv = tensor(l, [p.Shape.Z, p.Shape.Y, p.Shape.X]);
                labs.Add(Grid(lv, p.Shape, keyEvery).reshape(-1).to(ScalarType.Int64));
                classes = Math.Max(classes, l.Length == 0 ? 0 : l.Max() + 1);
            }
            if (feats.Count == 0) throw new ArgumentException("kNN needs at least one labeled volume");
            var all = cat(feats, 0);
            var keys = Prepare(all, metric);
            if (!ReferenceEquals(keys, all)) all.Dispose();
            if (keys.shape[0] < k) throw new ArgumentException($"{keys.shape[0]} keys are fewer than k = {k}");
            return new KnnSegmenter(keys, cat(labs, 0), k, keyEvery, Math.Max(classes, 2), metric, index);
        }
        finally
        {
            foreach (var t in feats) t.Dispose();
            foreach (var t in labs) t.Dispose();
        }
    }

    /// <summary>Label of every voxel (x fastest). <paramref name="queryEvery"/> &gt; 1 classifies a coarser grid and
    /// copies each label to its block (nearest), trading resolution for time on large volumes.</summary>
    /// <remarks>
    /// Memory is bounded by the slab, not the volume: queries are built a few z-planes at a time (about
    /// <paramref name="chunkRows"/> voxels), and each chunk's similarity matrix (rows x keys) is freed before the next;
    /// a chunk has fewer rows when there are many keys (<see cref="RowsPerChunk"/>: at most <see cref="MaxSimilarityBytes"/>).
    /// </remarks>
    public byte[] Predict(FeaturePyramid pyramid, int queryEvery = 1, int chunkRows = 4096)
    {
        ArgumentNullException.ThrowIfNull(pyramid);
        chunkRows = RowsPerChunk(KeyCount, chunkRows);
        var s = pyramid.Shape;
        int gz = Ceil(s.Z, queryEvery), gy = Ceil(s.Y, queryEvery), gx = Ceil(s.X, queryEvery);
        var index = Index((long)gz * gy * gx);
        using var scope = NewDisposeScope();
        var planes = Math.Max(1, chunkRows / (gy * gx));
        var votes = new List<Tensor>();
        for (var z0 = 0; z0 < gz; z0 += planes)
        {
            using var slab = NewDisposeScope();
            var q = Prepare(Features(pyramid, queryEvery, z0 * queryEvery, Math.Min(gz, z0 + planes) * queryEvery), Metric);
            var idx = index.Search(q, K);
            for (long i = 0; i < idx.shape[0]; i += chunkRows)
            {
                using var chunk = NewDisposeScope();
                var rows = idx.narrow(0, i, Math.Min(chunkRows, idx.shape[0] - i));
                var nn_ = labels.index_select(0, rows.reshape(-1)).reshape(rows.shape);
                var counts = nn.functional.one_hot(nn_, Classes).sum(1);
                votes.Add(counts.argmax(1).to(ScalarType.Byte).MoveToOuterDisposeScope().MoveToOuterDisposeScope());
            }
        }
        var grid = cat(votes, 0).reshape(gz, gy, gx);
        if (queryEvery > 1)
            grid = grid.repeat_interleave(queryEvery, 0).repeat_interleave(queryEvery, 1).repeat_interleave(queryEvery, 2)
                [TensorIndex.Slice(0, s.Z), TensorIndex.Slice(0, s.Y), TensorIndex.Slice(0, s.X)];
        return grid.contiguous().data<byte>().ToArray();
    }

    /// <summary>The search for <paramref name="queries"/> queries: exact while queries x keys stays under the Auto limit.</summary>
    private INeighbourIndex Index(long queries)
    {
        var useExact = indexOptions.Kind == NeighbourIndexKind.Exact ||
                       (indexOptions.Kind == NeighbourIndexKind.Auto && (double)queries * KeyCount <= indexOptions.AutoExactLimit);
        LastSearch = useExact ? "exact" : "ivf";
        return useExact ? exact ??= new ExactIndex(keys, RowsPerChunk(KeyCount, 2048)) : approximate ??= IvfIndex.Build(keys, indexOptions);
    }

    private static Tensor Prepare(Tensor features, KnnMetric metric) =>
        metric == KnnMetric.Cosine ? nn.functional.normalize(features, p: 2, dim: 1) : features;

    /// <summary>(M, D) representations of the voxels whose every coordinate is a multiple of <paramref name="every"/>.</summary>
    internal static Tensor Features(FeaturePyramid p, int every) => Features(p, every, 0, p.Shape.Z);

    /// <summary>As <see cref="Features(FeaturePyramid, int)"/> for the planes z in [<paramref name="z0"/>, <paramref name="z1"/>) (z0 a multiple of every).</summary>
    internal static Tensor Features(FeaturePyramid p, int every, int z0, int z1)
    {
        using var scope = NewDisposeScope();
        var s = p.Shape;
        var parts = new List<Tensor>();
        for (var l = 0; l < p.Levels.Length; l++)
        {
            var lv = p.Levels[l];
            var st = p.Strides[l];
            var sel = lv.index_select(1, Coords(z0, Math.Min(z1, s.Z), every, st.Z)).index_select(2, Coords(s.Y, every, st.Y)).index_select(3, Coords(s.X, every, st.X));
            parts.Add(sel.reshape(lv.shape[0], -1).t());
        }
        return cat(parts, 1).contiguous().MoveToOuterDisposeScope();
    }

    private static Tensor Grid(Tensor v, Int3 s, int every) =>
        v.index_select(0, arange(0, s.Z, every, dtype: ScalarType.Int64)).index_select(1, arange(0, s.Y, every, dtype: ScalarType.Int64))
         .index_select(2, arange(0, s.X, every, dtype: ScalarType.Int64));

    /// <summary>Level indices of full-resolution coordinates 0, every, 2*every, … for a level of this stride (nearest upsampling: c / stride).</summary>
    private static Tensor Coords(int n, int every, int stride) => Coords(0, n, every, stride);

    private static Tensor Coords(int from, int n, int every, int stride)
    {
        using var s = ((long)stride).ToScalar(); // explicit and kept alive through the call (see Training.Models.Scalars)
        using var c = arange(from, n, every, dtype: ScalarType.Int64);
        return c.div(s, rounding_mode: RoundingMode.floor);
    }

    private static int Ceil(int n, int m) => (n + m - 1) / m;

    public void Dispose()
    {
        exact?.Dispose();
        approximate?.Dispose();
        keys.Dispose();
        labels.Dispose();
    }
}
