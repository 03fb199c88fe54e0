using Streaming.Evaluation.Data;
using Streaming.Evaluation.Features;
using Streaming.Evaluation.Supervised;
using Streaming.Evaluation.Training;
using Streaming.Training.Losses;
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
        public HoldoutDto? Holdout { get; set; }
        public List<int> KeepLabels { get; set; } = [];
        /// <summary>Protocol name → [lower, upper] HU window, or [] for the identity.</summary>
        public Dictionary<string, List<double>> InputScaling { get; set; } = [];
        public SupervisedDto Supervised { get; set; } = new();

        public EvaluationOptions ToOptions() => new()
        {
            HoldoutTestCases = Holdout?.TestCases ?? 0, HoldoutRepeats = Holdout?.Repeats ?? 3, KeepLabels = KeepLabels,
            InputScaling = InputScaling.ToDictionary(kv => ProtocolNames.Parse(kv.Key), kv => kv.Value.Count switch
            {
                0 => Data.InputScaling.Identity,
                2 => new InputScaling(kv.Value[0], kv.Value[1]),
                _ => throw new ArgumentException($"inputScaling.{kv.Key} needs [lower, upper] (HU) or [] for none"),
            }),
            Supervised = Supervised.ToOptions(),
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
        };

        internal static Int3 Shape(List<int> v, string key) =>
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

    private sealed class HoldoutDto
    {
        public int TestCases { get; set; } = 20;
        public int Repeats { get; set; } = 3;
    }

    private sealed class SupervisedDto
    {
        private static readonly SupervisedOptions D = new();
        public int BaseChannels { get; set; } = D.BaseChannels;
        public int Levels { get; set; } = D.Levels;
        public List<int> SimsiamLevels { get; set; } = [.. D.SimSiamLevels];
        public int SclLevels { get; set; } = D.SclLevels;
        public double? SimsiamLambda { get; set; }
        public double SclLambda { get; set; } = D.SclLambda;
        public int HeadHidden { get; set; } = D.HeadHidden;
        public string Aggregation { get; set; } = "mean";
        public bool ClassWeights { get; set; } = D.ClassWeights;
        public int MaxVoxelsPerLevel { get; set; } = D.MaxVoxelsPerLevel;
        public int MaxHardVoxelsPerLevel { get; set; } = D.MaxHardVoxelsPerLevel;
        public int SclNegatives { get; set; } = D.SclNegatives;
        public double SclTemperature { get; set; } = D.SclTemperature;
        public long Steps { get; set; } = D.Steps;
        public int BatchSize { get; set; } = D.BatchSize;
        public List<int>? Patch { get; set; }
        public double ForegroundFraction { get; set; } = D.ForegroundFraction;
        public double Lr { get; set; } = D.LearningRate;
        public double WeightDecay { get; set; } = D.WeightDecay;
        public double PolyPower { get; set; } = D.PolyPower;
        public List<double> LabelFractions { get; set; } = [.. D.LabelFractions];
        public long CheckpointEvery { get; set; } = D.CheckpointEvery;
        public int LogEvery { get; set; } = D.LogEvery;

        public SupervisedOptions ToOptions() => new()
        {
            BaseChannels = BaseChannels, Levels = Levels, SimSiamLevels = SimsiamLevels, SclLevels = SclLevels, SimSiamLambda = SimsiamLambda,
            SclLambda = SclLambda, HeadHidden = HeadHidden,
            Aggregation = Aggregation.Trim().ToLowerInvariant() switch
            {
                "mean" => PairAggregation.Mean,
                "sum" => PairAggregation.Sum,
                var a => throw new ArgumentException($"supervised.aggregation must be mean or sum, not '{a}'"),
            },
            ClassWeights = ClassWeights, MaxVoxelsPerLevel = MaxVoxelsPerLevel, MaxHardVoxelsPerLevel = MaxHardVoxelsPerLevel, SclNegatives = SclNegatives,
            SclTemperature = SclTemperature, Steps = Steps, BatchSize = BatchSize, Patch = Patch is null ? null : Dto.Shape(Patch, "supervised.patch"),
            ForegroundFraction = ForegroundFraction, LearningRate = Lr, WeightDecay = WeightDecay, PolyPower = PolyPower, LabelFractions = LabelFractions,
            CheckpointEvery = CheckpointEvery, LogEvery = LogEvery,
        };
    }

    private sealed class KnnDto
    {
        public int K { get; set; } = 21;
        public int KeyEvery { get; set; } = 4;
        public List<int> Shots { get; set; } = [1];
        public int QueryEvery { get; set; } = 1;
    }
}
