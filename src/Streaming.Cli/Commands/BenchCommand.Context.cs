using System.CommandLine;
using Streaming.Bench;
using Streaming.Bench.Evaluation;
using Streaming.Cli.Output;

namespace Streaming.Cli.Commands;

public static partial class BenchCommand
{
    /// <summary>`bench context`: dense context descriptors per volume and kNN query time, exact against IVF (issue 12).</summary>
    private static Command Context()
    {
        var d = new ContextBenchOptions();
        var shape = new Option<string>("--shape") { Description = "Volume x,y,z the descriptors are extracted from", DefaultValueFactory = _ => $"{d.Shape.X},{d.Shape.Y},{d.Shape.Z}" };
        var knnShape = new Option<string>("--knn-shape") { Description = "Volume x,y,z of the kNN atlases and query", DefaultValueFactory = _ => $"{d.KnnShape.X},{d.KnnShape.Y},{d.KnnShape.Z}" };
        var atlases = new Option<int>("--atlases") { Description = "Atlases whose descriptors are the kNN keys", DefaultValueFactory = _ => d.Atlases };
        var threads = new Option<int>("--threads") { Description = "libtorch threads", DefaultValueFactory = _ => d.Threads };
        var methods = new Option<string>("--methods") { Description = "Comma-separated descriptors, the first is the baseline", DefaultValueFactory = _ => string.Join(',', d.Methods) };
        var json = CommonOptions.Json();
        var c = new Command("context", CommonOptions.WithExamples("Dense descriptor extraction per volume (GVDIFF, HEATMAP/REG2D/XAVIER, DOERSCH) and kNN query time, exact vs IVF",
            "streaming bench context --threads 1 --atlases 3 --json"))
            { shape, knnShape, atlases, threads, methods, json };
        c.SetAction(r => Guarded("bench context", () =>
        {
            var rows = ContextBench.Run(new ContextBenchOptions
            {
                Shape = Shape(r.GetValue(shape)!), KnnShape = Shape(r.GetValue(knnShape)!), Atlases = r.GetValue(atlases), Threads = r.GetValue(threads),
                Methods = r.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries),
            }, Console.Error);
            Console.Out.Write(BenchTable.ToMarkdown(rows));
            if (r.GetValue(json)) JsonSummary.Write(new { command = "bench context", ok = true, rows });
            return 0;
        }));
        return c;
    }
}
