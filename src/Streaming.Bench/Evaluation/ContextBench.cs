using System.Diagnostics;
using Streaming.Evaluation.Features;
using Streaming.Evaluation.Knn;
using Streaming.Evaluation.Protocols;
using Streaming.Imaging.Volumes;
using Streaming.Training.Methods;
using Streaming.Training.Methods.Context;
using static TorchSharp.torch;

namespace Streaming.Bench.Evaluation;

/// <summary>Settings of <see cref="ContextBench.Run"/>.</summary>
public sealed record ContextBenchOptions
{
    /// <summary>Volume the descriptors are extracted from: ct-context-cpu.yaml's crop (81 x 59 x 98 at 4.5 mm) by default.</summary>
    public Int3 Shape { get; init; } = new(81, 59, 98);
    /// <summary>Volume shape of the kNN part (atlases and query; GVDIFF descriptors).</summary>
    public Int3 KnnShape { get; init; } = new(81, 59, 98);
    /// <summary>Labeled atlases whose descriptors form the kNN keys (the paper's largest column: 9).</summary>
    public int Atlases { get; init; } = 9;
    /// <summary>libtorch intra-op threads.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Descriptors to time: context2d-heatmap (= REG2D and XAVIER: the same three D2D-CNNs), doersch3d, gvdiff.</summary>
    public IReadOnlyList<string> Methods { get; init; } = ["gvdiff", "context2d-heatmap", "doersch3d"];

    public void Validate()
    {
        if (!Shape.AllPositive || !KnnShape.AllPositive || Atlases < 1 || Threads < 1) throw new ArgumentException("shape, atlases and threads must be positive");
        foreach (var m in Methods) _ = Architecture(m);
    }

    internal static MethodOptions Architecture(string name) => name switch
    {
        "gvdiff" => new GreyValueOptions(),
        "context2d-heatmap" => new PlanarOffsetOptions(),
        "context2d-reg2d" => new PlanarOffsetOptions { Head = OffsetHead.Reg2d },
        "doersch3d" => new DoerschOptions(),
        _ => throw new ArgumentException($"unknown descriptor '{name}'; known: gvdiff, context2d-heatmap, context2d-reg2d, doersch3d"),
    };
}

/// <summary>
/// <c>bench context</c>: what the kNN atlas protocol of issue 12 costs. (1) Dense descriptor extraction of one volume
/// (every 4th voxel, the same call evaluation makes) per descriptor, against GVDIFF measured in the same run, with the
/// cost per grid point and its extrapolation to the paper's crop (243 x 176 x 293 voxels: 61 x 44 x 74 grid points).
/// (2) kNN query time for one volume against the keys of <see cref="ContextBenchOptions.Atlases"/> atlases: exact
/// search against the IVF index (build and query timed apart), and how often their k = 21 votes agree.
/// Inputs are Synth phantoms (<see cref="BenchPhantoms"/>), HU scaled as the context methods train; weights are
/// random inits (a trained net costs the same).
/// </summary>
public static class ContextBench
{
    /// <summary>Grid points of the paper's crop: every 4th voxel of 243 x 176 x 293.</summary>
    public const long PaperGridPoints = 61L * 44 * 74;

    public static IReadOnlyList<BenchRow> Run(ContextBenchOptions o, TextWriter? log = null)
    {
        o.Validate();
        var before = get_num_threads();
        set_num_threads(o.Threads);
        try { return Measure(o, log); }
        finally { set_num_threads(before); }
    }

    private static IReadOnlyList<BenchRow> Measure(ContextBenchOptions o, TextWriter? log)
    {
        var rows = new List<BenchRow>();
        var scaling = new PlanarOffsetOptions().InputScaling;
        float[] Input(Int3 shape, long seed)
        {
            var data = (float[])BenchPhantoms.Ct(shape, new Vec3(4.5, 4.5, 4.5), seed).Data.Clone();
            scaling.Apply(data);
            return data;
        }
        var query = Input(o.Shape, 100);
        var small = new Int3(16, 16, 16);
        var window = new SlidingWindow();
        double? baseline = null;
        foreach (var name in o.Methods)
        {
            using var backbone = BackboneSource.Random(ContextBenchOptions.Architecture(name), 1, name).Create();
            backbone.eval();
            PyramidExtractor.Extract(backbone, Input(small, 99), small, window, CPU).Dispose(); // warm-up: first-call allocations and kernels
            var sw = Stopwatch.StartNew();
            using var pyramid = PyramidExtractor.Extract(backbone, query, o.Shape, window, CPU);
            var seconds = sw.Elapsed.TotalSeconds;
            var points = pyramid.Levels[0].shape[1] * pyramid.Levels[0].shape[2] * pyramid.Levels[0].shape[3];
            baseline ??= seconds;
            rows.Add(new BenchRow($"descriptor extraction, {name}, {o.Shape.X}x{o.Shape.Y}x{o.Shape.Z} voxels ({points} grid points)", seconds, "s/volume",
                o.Methods[0], seconds / baseline.Value, $"{1e3 * seconds / points:F3} ms/point; paper crop ({PaperGridPoints} points) ≈ {seconds * PaperGridPoints / points:F0} s"));
            log?.WriteLine(BenchTable.ToMarkdown(rows.TakeLast(1)).Split('\n')[2]);
        }

        // kNN: keys from GVDIFF descriptors of the atlases (cheap to compute, and structured like real descriptors).
        using var gv = BackboneSource.Random(new GreyValueOptions(), 1, "gvdiff").Create();
        gv.eval();
        var atlases = Enumerable.Range(0, o.Atlases).Select(i =>
        {
            var image = BenchPhantoms.Ct(o.KnnShape, new Vec3(4.5, 4.5, 4.5), 200 + i);
            var input = (float[])image.Data.Clone();
            scaling.Apply(input);
            var labels = image.Data.Select(v => (byte)(v < -500 ? 0 : v < 0 ? 1 : v < 100 ? 2 : 3)).ToArray(); // HU bands stand in for organs
            return (Pyramid: PyramidExtractor.Extract(gv, input, o.KnnShape, window, CPU), Labels: labels);
        }).ToList();
        using var q = PyramidExtractor.Extract(gv, Input(o.KnnShape, 100), o.KnnShape, window, CPU);
        var queries = q.Levels[0].shape[1] * q.Levels[0].shape[2] * q.Levels[0].shape[3];
        try
        {
            using var exact = KnnSegmenter.Build(atlases, 21, 4, KnnMetric.Euclidean, new NeighbourIndexOptions { Kind = NeighbourIndexKind.Exact });
            using var ivf = KnnSegmenter.Build(atlases, 21, 4, KnnMetric.Euclidean, new NeighbourIndexOptions { Kind = NeighbourIndexKind.Ivf, Seed = 1 });
            var keys = exact.KeyCount;
            var sw = Stopwatch.StartNew();
            var e = exact.Predict(q, 4);
            var exactSeconds = sw.Elapsed.TotalSeconds;
            sw.Restart();
            ivf.Predict(q, 4); // first call builds the index (k-means)
            var buildAndQuery = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var a = ivf.Predict(q, 4);
            var ivfSeconds = sw.Elapsed.TotalSeconds;
            var agree = e.Zip(a).Count(t => t.First == t.Second) / (double)e.Length;
            rows.Add(new BenchRow($"kNN query, exact, {queries} queries x {keys} keys ({o.Atlases} atlases), k = 21", exactSeconds, "s/volume", null, null,
                $"{1e6 * exactSeconds / queries:F0} µs/query"));
            rows.Add(new BenchRow("kNN query, IVF (√N lists, 24 probes), index built", ivfSeconds, "s/volume", "exact", ivfSeconds / exactSeconds,
                $"index build {buildAndQuery - ivfSeconds:F2} s (once per fold and atlas count); labels agree with exact on {agree:P2} of voxels"));
            foreach (var r in rows.TakeLast(2)) log?.WriteLine(BenchTable.ToMarkdown([r]).Split('\n')[2]);
        }
        finally
        {
            foreach (var x in atlases) x.Pyramid.Dispose();
        }
        return rows;
    }
}
