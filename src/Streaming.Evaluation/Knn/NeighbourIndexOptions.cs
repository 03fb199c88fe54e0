namespace Streaming.Evaluation.Knn;

/// <summary>Distance of the kNN protocol: Euclidean (the paper's) or cosine (Euclidean on L2-normalised features).</summary>
public enum KnnMetric { Euclidean, Cosine }

/// <summary>Exact search, an inverted-file (IVF) approximate index, or Auto (exact while it is cheap, else IVF).</summary>
public enum NeighbourIndexKind { Auto, Exact, Ivf }

/// <summary>
/// How kNN keys are searched. IVF: k-means partitions the keys into <see cref="Lists"/> cells (0 = √N); a query scans
/// only the keys of its <see cref="Probes"/> nearest cells, exactly. Auto switches to IVF once queries x keys exceed
/// <see cref="AutoExactLimit"/> distance evaluations per volume.
/// </summary>
public sealed record NeighbourIndexOptions
{
    public NeighbourIndexKind Kind { get; init; } = NeighbourIndexKind.Auto;
    public int Lists { get; init; }
    public int Probes { get; init; } = 24;
    /// <summary>Lloyd iterations of the k-means that places the cells.</summary>
    public int Iterations { get; init; } = 12;
    /// <summary>k-means trains on at most this many keys per cell (evenly drawn).</summary>
    public int TrainPerList { get; init; } = 48;
    public long Seed { get; init; }
    public double AutoExactLimit { get; init; } = 2e10;

    public void Validate()
    {
        if (Lists < 0) throw new ArgumentException("knn.index.lists must be >= 0 (0 = √keys)");
        if (Probes < 1) throw new ArgumentException("knn.index.probes must be >= 1");
        if (Iterations < 1 || TrainPerList < 1) throw new ArgumentException("knn.index.iterations and trainPerList must be >= 1");
        if (!(AutoExactLimit >= 0)) throw new ArgumentException("knn.index.autoExactLimit must be >= 0");
    }
}
