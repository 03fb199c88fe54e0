using Streaming.Evaluation.Features;
using Streaming.Evaluation.Training;
using Streaming.Ingest.Volumes;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Streaming.Evaluation.Protocols;

/// <summary>Reads <see cref="EvaluationOptions"/> from YAML (pipelines/eval-*.yaml; camelCase keys, unknown keys are errors).</summary>
public static class EvaluationConfigLoader
{
    public static EvaluationOptions Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"evaluation config not found: {path}", path);
        try { return Parse(File.ReadAllText(path)); }
        catch (Exception e) when (e is YamlException or ArgumentException or FormatException)
        {
            var why = e is YamlException y ? $"line {y.Start.Line}, column {y.Start.Column}: {(y.InnerException ?? y).Message}" : e.Message;
            throw new InvalidDataException($"{path}: {why}", e);
        }
    }

    public static EvaluationOptions Parse(string yaml)
    {
        var dto = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Deserialize<Dto>(yaml) ?? new Dto();
        var o = dto.ToOptions();
        o.Validate();
        return o;
    }

    // Mutable DTOs only at the YAML boundary.
    private sealed class Dto
    {
        public List<string> Protocols { get; set; } = ["linear"];
        public int Folds { get; set; } = 3;
        public int MaxFolds { get; set; }
        public int MaxTrainCases { get; set; }
        public long Seed { get; set; }
        public int Threads { get; set; }
        public string Device { get; set; } = "cpu";
        public bool WritePredictions { get; set; } = true;
        public TrainingDto Training { get; set; } = new();
        public WindowDto Window { get; set; } = new();
        public FineTuneDto FineTune { get; set; } = new();
        public ScratchDto Scratch { get; set; } = new();
        public KnnDto Knn { get; set; } = new();

        public EvaluationOptions ToOptions() => new()
        {
            Protocols = Protocols.Select(ProtocolNames.Parse).Distinct().ToList(), Folds = Folds, MaxFolds = MaxFolds, MaxTrainCases = MaxTrainCases,
            Seed = Seed, Threads = Threads, Device = Device, WritePredictions = WritePredictions,
            Training = new HeadTrainingOptions
            {
                Steps = Training.Steps, BatchSize = Training.BatchSize, Patch = Shape(Training.Patch, "training.patch"), HeadLr = Training.HeadLr,
                ForegroundFraction = Training.ForegroundFraction, Seed = Seed,
            },
            Window = new SlidingWindow { Window = Shape(Window.Size, "window.size"), Overlap = Window.Overlap },
            FreezeSteps = FineTune.FreezeSteps, ScratchLr = Scratch.Lr,
            KnnK = Knn.K, KnnKeyEvery = Knn.KeyEvery, KnnShots = Knn.Shots, KnnQueryEvery = Knn.QueryEvery,
            KnnMetric = Knn.Metric switch
            {
                "euclidean" => Evaluation.Knn.KnnMetric.Euclidean, "cosine" => Evaluation.Knn.KnnMetric.Cosine,
                _ => throw new ArgumentException($"knn.metric must be euclidean or cosine; got '{Knn.Metric}'"),
            },
            KnnIndex = new Evaluation.Knn.NeighbourIndexOptions
            {
                Kind = Knn.Index.Kind switch
                {
                    "auto" => Evaluation.Knn.NeighbourIndexKind.Auto, "exact" => Evaluation.Knn.NeighbourIndexKind.Exact, "ivf" => Evaluation.Knn.NeighbourIndexKind.Ivf,
                    _ => throw new ArgumentException($"knn.index.kind must be auto, exact or ivf; got '{Knn.Index.Kind}'"),
                },
                Lists = Knn.Index.Lists, Probes = Knn.Index.Probes, Seed = Seed,
            },
        };

        private static Int3 Shape(List<int> v, string key) =>
            v.Count == 3 ? new Int3(v[0], v[1], v[2]) : throw new ArgumentException($"{key} needs 3 values [x, y, z], got {v.Count}");
    }

    private sealed class TrainingDto
    {
        public int Steps { get; set; } = 300;
        public int BatchSize { get; set; } = 4;
        public List<int> Patch { get; set; } = [64, 64, 32];
        public double HeadLr { get; set; } = 3e-3;
        public double ForegroundFraction { get; set; } = 0.5;
    }

    private sealed class WindowDto
    {
        public List<int> Size { get; set; } = [64, 64, 32];
        public double Overlap { get; set; } = 0.5;
    }

    private sealed class FineTuneDto { public long FreezeSteps { get; set; } = 100; }

    private sealed class ScratchDto { public double Lr { get; set; } = 3e-4; }

    private sealed class KnnDto
    {
        public int K { get; set; } = 21;
        public int KeyEvery { get; set; } = 4;
        public List<int> Shots { get; set; } = [1];
        public int QueryEvery { get; set; } = 1;
        public string Metric { get; set; } = "euclidean";
        public KnnIndexDto Index { get; set; } = new();
    }

    private sealed class KnnIndexDto
    {
        public string Kind { get; set; } = "auto";
        public int Lists { get; set; }
        public int Probes { get; set; } = 24;
    }
}
