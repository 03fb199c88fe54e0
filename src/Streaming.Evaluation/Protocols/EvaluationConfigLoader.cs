using Streaming.Evaluation.Features;
using Streaming.Evaluation.Training;
using Streaming.Shards.Specs.Yaml;
using Streaming.Imaging.Volumes;

namespace Streaming.Evaluation.Protocols;

/// <summary>
/// Reads <see cref="EvaluationOptions"/> from YAML (pipelines/eval-*.yaml) through the shared config reader
/// (<see cref="ConfigYaml"/>: <c>inherits</c>, duplicate and unknown keys are errors naming file, line and the nearest
/// valid key). Only maps keys: absent keys keep the defaults of <see cref="EvaluationOptions"/> and its records.
/// </summary>
public static class EvaluationConfigLoader
{
    public static EvaluationOptions Load(string path) => Load(path, null);

    /// <summary>The config at <paramref name="path"/> (or the defaults when null) with <c>--set key=value</c> overrides.</summary>
    public static EvaluationOptions Load(string? path, IReadOnlyList<string>? overrides)
    {
        if (path is not null && !File.Exists(path)) throw new FileNotFoundException($"evaluation config not found: {path}", path);
        var node = path is null ? ConfigNode.Mapping([], new ConfigPosition("defaults", 0, 0)) : ConfigYaml.Load(path);
        return FromNode(ConfigOverrides.Apply(node, overrides), path ?? "evaluation config");
    }

    public static EvaluationOptions Parse(string yaml, string source = "evaluation config") => FromNode(ConfigYaml.Parse(yaml, source), source);

    private static EvaluationOptions FromNode(ConfigNode node, string source)
    {
        var y = ConfigBinder.Bind<EvaluationYaml>(node);
        var d = new EvaluationOptions();
        try
        {
            var seed = y.Seed ?? d.Seed;
            var o = new EvaluationOptions
            {
                Protocols = y.Protocols is { } p ? p.Select(ProtocolNames.Parse).Distinct().ToList() : d.Protocols,
                Folds = y.Folds ?? d.Folds, MaxFolds = y.MaxFolds ?? d.MaxFolds, MaxTrainCases = y.MaxTrainCases ?? d.MaxTrainCases,
                Seed = seed, Threads = y.Threads ?? d.Threads, Device = y.Device ?? d.Device, WritePredictions = y.WritePredictions ?? d.WritePredictions,
                // The head's sampling seed follows the evaluation's seed (folds add their index).
                Training = d.Training with
                {
                    Steps = y.Training?.Steps ?? d.Training.Steps,
                    BatchSize = y.Training?.BatchSize ?? d.Training.BatchSize,
                    Patch = Shape(y.Training?.Patch, "training.patch") ?? d.Training.Patch,
                    HeadLr = y.Training?.HeadLr ?? d.Training.HeadLr,
                    ForegroundFraction = y.Training?.ForegroundFraction ?? d.Training.ForegroundFraction,
                    Seed = seed,
                },
                Window = d.Window with
                {
                    Window = Shape(y.Window?.Size, "window.size") ?? d.Window.Window,
                    Overlap = y.Window?.Overlap ?? d.Window.Overlap,
                },
                FreezeSteps = y.FineTune?.FreezeSteps ?? d.FreezeSteps, ScratchLr = y.Scratch?.Lr ?? d.ScratchLr,
                KnnK = y.Knn?.K ?? d.KnnK, KnnKeyEvery = y.Knn?.KeyEvery ?? d.KnnKeyEvery, KnnShots = y.Knn?.Shots ?? d.KnnShots,
                KnnQueryEvery = y.Knn?.QueryEvery ?? d.KnnQueryEvery,
            };
            o.Validate();
            return o;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private static Int3? Shape(int[]? v, string key) =>
        v is null ? null : v.Length == 3 ? new Int3(v[0], v[1], v[2]) : throw new ArgumentException($"{key} needs 3 values [x, y, z], got {v.Length}");

    // The YAML shape; nullable so that "absent" means "the record's default".
    private sealed class EvaluationYaml
    {
        public List<string>? Protocols { get; set; }
        public int? Folds { get; set; }
        public int? MaxFolds { get; set; }
        public int? MaxTrainCases { get; set; }
        public long? Seed { get; set; }
        public int? Threads { get; set; }
        public string? Device { get; set; }
        public bool? WritePredictions { get; set; }
        public TrainingYaml? Training { get; set; }
        public WindowYaml? Window { get; set; }
        public FineTuneYaml? FineTune { get; set; }
        public ScratchYaml? Scratch { get; set; }
        public KnnYaml? Knn { get; set; }
    }

    private sealed class TrainingYaml
    {
        public int? Steps { get; set; }
        public int? BatchSize { get; set; }
        public int[]? Patch { get; set; }
        public double? HeadLr { get; set; }
        public double? ForegroundFraction { get; set; }
    }

    private sealed class WindowYaml
    {
        public int[]? Size { get; set; }
        public double? Overlap { get; set; }
    }

    private sealed class FineTuneYaml { public long? FreezeSteps { get; set; } }

    private sealed class ScratchYaml { public double? Lr { get; set; } }

    private sealed class KnnYaml
    {
        public int? K { get; set; }
        public int? KeyEvery { get; set; }
        public List<int>? Shots { get; set; }
        public int? QueryEvery { get; set; }
    }
}
