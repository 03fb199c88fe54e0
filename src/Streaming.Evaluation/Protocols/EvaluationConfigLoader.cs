using Streaming.Evaluation.Features;
using Streaming.Evaluation.Supervised;
using Streaming.Evaluation.Training;
using Streaming.Shards.Specs.Yaml;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Training.Config;
using Streaming.Training.Methods;

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
                CalibrateRandomBatchNorm = y.CalibrateRandomBatchNorm ?? d.CalibrateRandomBatchNorm,
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
                KnnMetric = y.Knn?.Metric switch
                {
                    null => d.KnnMetric,
                    "euclidean" => Knn.KnnMetric.Euclidean,
                    "cosine" => Knn.KnnMetric.Cosine,
                    var m => throw new ArgumentException($"knn.metric must be euclidean or cosine; got '{m}'"),
                },
                KnnIndex = d.KnnIndex with
                {
                    Kind = y.Knn?.Index?.Kind switch
                    {
                        null => d.KnnIndex.Kind,
                        "auto" => Knn.NeighbourIndexKind.Auto,
                        "exact" => Knn.NeighbourIndexKind.Exact,
                        "ivf" => Knn.NeighbourIndexKind.Ivf,
                        var k => throw new ArgumentException($"knn.index.kind must be auto, exact or ivf; got '{k}'"),
                    },
                    Lists = y.Knn?.Index?.Lists ?? d.KnnIndex.Lists,
                    Probes = y.Knn?.Index?.Probes ?? d.KnnIndex.Probes,
                    Seed = seed,
                },
                HoldoutTestCases = y.Holdout?.TestCases ?? d.HoldoutTestCases, HoldoutRepeats = y.Holdout?.Repeats ?? d.HoldoutRepeats,
                KeepLabels = y.KeepLabels ?? d.KeepLabels,
                InputScaling = y.InputScaling is { } scaling ? scaling.ToDictionary(kv => ProtocolNames.Parse(kv.Key), kv => Window(kv.Value, $"inputScaling.{kv.Key}")) : d.InputScaling,
                Supervised = Supervised(y.Supervised, d.Supervised),
            };
            o.Validate();
            return o;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private static SupervisedOptions Supervised(SupervisedYaml? y, SupervisedOptions d) => y is null ? d : d with
    {
        // model: and loss: are the voxel-simsiam method's own sections, mapped by its YAML entry (one place for those keys).
        Method = y.Model is null && y.Loss is null ? d.Method : (VoxelSimSiamOptions)new VoxelSimSiamYaml().Bind(new MethodSections(y.Model, y.Loss, null)),
        SimSiamLevels = y.SimsiamLevels ?? d.SimSiamLevels,
        SclLevels = y.SclLevels ?? d.SclLevels,
        SimSiamLambda = y.SimsiamLambda ?? d.SimSiamLambda,
        SclLambda = y.SclLambda ?? d.SclLambda,
        Steps = y.Steps ?? d.Steps,
        BatchSize = y.BatchSize ?? d.BatchSize,
        Patch = Shape(y.Patch, "supervised.patch") ?? d.Patch,
        ForegroundFraction = y.ForegroundFraction ?? d.ForegroundFraction,
        LearningRate = y.Lr ?? d.LearningRate,
        WeightDecay = y.WeightDecay ?? d.WeightDecay,
        PolyPower = y.PolyPower ?? d.PolyPower,
        LabelFractions = y.LabelFractions ?? d.LabelFractions,
        CheckpointEvery = y.CheckpointEvery ?? d.CheckpointEvery,
        LogEvery = y.LogEvery ?? d.LogEvery,
    };

    /// <summary>[lower, upper] HU → that window; [] → identity (as cached).</summary>
    private static InputScaling Window(double[] v, string key) => v.Length switch
    {
        0 => InputScaling.Identity,
        2 => new InputScaling(v[0], v[1]),
        _ => throw new ArgumentException($"{key} needs [lower, upper] (HU) or [] for the cached values as they are"),
    };

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
        public bool? CalibrateRandomBatchNorm { get; set; }
        public TrainingYaml? Training { get; set; }
        public WindowYaml? Window { get; set; }
        public FineTuneYaml? FineTune { get; set; }
        public ScratchYaml? Scratch { get; set; }
        public KnnYaml? Knn { get; set; }
        public HoldoutYaml? Holdout { get; set; }
        public List<int>? KeepLabels { get; set; }
        /// <summary>Protocol name → [lower, upper] HU window, or [] for the identity.</summary>
        public Dictionary<string, double[]>? InputScaling { get; set; }
        public SupervisedYaml? Supervised { get; set; }
    }

    private sealed class HoldoutYaml
    {
        public int? TestCases { get; set; }
        public int? Repeats { get; set; }
    }

    private sealed class SupervisedYaml
    {
        /// <summary>The voxel-simsiam method's model: section (U-Net width and depth, feature-layer widths).</summary>
        public ConfigNode? Model { get; set; }
        /// <summary>The voxel-simsiam method's loss: section (aggregation, class weights, voxel caps, SCL settings).</summary>
        public ConfigNode? Loss { get; set; }
        public List<int>? SimsiamLevels { get; set; }
        public int? SclLevels { get; set; }
        public double? SimsiamLambda { get; set; }
        public double? SclLambda { get; set; }
        public long? Steps { get; set; }
        public int? BatchSize { get; set; }
        public int[]? Patch { get; set; }
        public double? ForegroundFraction { get; set; }
        public double? Lr { get; set; }
        public double? WeightDecay { get; set; }
        public double? PolyPower { get; set; }
        public List<double>? LabelFractions { get; set; }
        public long? CheckpointEvery { get; set; }
        public int? LogEvery { get; set; }
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
        public string? Metric { get; set; }
        public KnnIndexYaml? Index { get; set; }
    }

    private sealed class KnnIndexYaml
    {
        public string? Kind { get; set; }
        public int? Lists { get; set; }
        public int? Probes { get; set; }
    }
}
