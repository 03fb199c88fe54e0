using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Streaming.Training.Config;

/// <summary>Reads and writes <see cref="PretrainConfig"/> as YAML (camelCase keys; unknown keys are errors).</summary>
public static class PretrainConfigLoader
{
    public static PretrainConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"pre-training config not found: {path}", path);
        try { return Parse(File.ReadAllText(path)); }
        catch (Exception e) when (e is YamlException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{path}: {Describe(e)}", e);
        }
    }

    public static PretrainConfig Parse(string yaml)
    {
        var d = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        var dto = d.Deserialize<ConfigDto>(yaml) ?? new ConfigDto();
        var c = dto.ToConfig();
        c.Validate();
        return c;
    }

    public static string ToYaml(PretrainConfig c) =>
        new SerializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve).Build()
            .Serialize(ConfigDto.From(c));

    private static string Describe(Exception e) =>
        e is YamlException y ? $"line {y.Start.Line}, column {y.Start.Column}: {(y.InnerException ?? y).Message}" : e.Message;

    // Mutable DTOs only at the YAML boundary; the record above is what the rest of the code sees.
    private sealed class ConfigDto
    {
        public string Method { get; set; } = "vox2vec";
        public string Device { get; set; } = "cpu";
        public long Seed { get; set; }
        public int Threads { get; set; }
        public long Steps { get; set; } = 100_000;
        public long CheckpointEvery { get; set; } = 1000;
        public int KeepCheckpoints { get; set; } = 3;
        public int LogEvery { get; set; } = 10;
        public double Lr { get; set; } = 3e-4;
        public double GradClip { get; set; } = 1.0;
        public string RunDir { get; set; } = "runs/pretrain";
        public bool Progress { get; set; } = true;
        public bool StepTiming { get; set; }
        public CacheDto Cache { get; set; } = new();
        public ModelDto Model { get; set; } = new();
        public LossDto Loss { get; set; } = new();
        public SamplingDto Sampling { get; set; } = new();
        public PrefetchDto Prefetch { get; set; } = new();

        public PretrainConfig ToConfig() => new()
        {
            Method = new MethodOptions
            {
                Method = Method,
                Backbone = new BackboneOptions
                {
                    InChannels = Model.InChannels, BaseChannels = Model.BaseChannels ?? (Method == "hierarchical" ? 32 : 16),
                    Levels = Model.Levels ?? (Method == "hierarchical" ? 5 : 6), BlocksPerLevel = Model.BlocksPerLevel,
                    Norm = Model.Norm switch
                    {
                        "batch" => NormKind.Batch,
                        "group" => NormKind.Group,
                        _ => throw new ArgumentException($"model.norm must be batch or group; got '{Model.Norm}'"),
                    },
                },
                HeadHidden = Model.HeadHidden, HeadOut = Model.HeadOut, LevelProjectionWidth = Model.LevelProjectionWidth,
                Temperature = Loss.Temperature, InfoNceChunkRows = Loss.InfoNceChunkRows, ReconstructionWeight = Loss.ReconstructionWeight,
                Precision = Model.Precision switch
                {
                    "fp32" => ComputePrecision.Float32,
                    "bf16" => ComputePrecision.BFloat16,
                    _ => throw new ArgumentException($"model.precision must be fp32 or bf16; got '{Model.Precision}'"),
                },
            },
            StepTiming = StepTiming,
            Device = Device, Seed = Seed, Threads = Threads, Steps = Steps, CheckpointEvery = CheckpointEvery,
            KeepCheckpoints = KeepCheckpoints, LogEvery = LogEvery, LearningRate = Lr, GradClip = GradClip, RunDir = RunDir,
            Progress = Progress, CacheDir = Cache.Dir, CacheSpec = Cache.Spec,
            Sampling = new SamplingOptions
            {
                PatchShape = Sampling.PatchShape is [var x, var y, var z] ? new Int3(x, y, z)
                    : throw new ArgumentException("sampling.patchShape must be [x, y, z]"),
                VolumesPerBatch = Sampling.VolumesPerBatch, PairsPerVolume = Sampling.PairsPerVolume,
                PositionsPerPair = Sampling.PositionsPerPair, DatasetWeights = new Dictionary<string, double>(Sampling.DatasetWeights),
                Seed = Sampling.Seed ?? Seed, IncludeClean = Sampling.IncludeClean, Augmentations = Sampling.Augmentations,
            },
            Prefetch = new PrefetchOptions { Workers = Prefetch.Workers, Capacity = Prefetch.Capacity },
        };

        public static ConfigDto From(PretrainConfig c) => new()
        {
            Method = c.Method.Method, Device = c.Device, Seed = c.Seed, Threads = c.Threads, Steps = c.Steps,
            CheckpointEvery = c.CheckpointEvery, KeepCheckpoints = c.KeepCheckpoints, LogEvery = c.LogEvery,
            Lr = c.LearningRate, GradClip = c.GradClip, RunDir = c.RunDir, Progress = c.Progress, StepTiming = c.StepTiming,
            Cache = new CacheDto { Dir = c.CacheDir, Spec = c.CacheSpec },
            Model = new ModelDto
            {
                InChannels = c.Method.Backbone.InChannels, BaseChannels = c.Method.Backbone.BaseChannels, Levels = c.Method.Backbone.Levels,
                BlocksPerLevel = c.Method.Backbone.BlocksPerLevel, Norm = c.Method.Backbone.Norm == NormKind.Batch ? "batch" : "group",
                HeadHidden = c.Method.HeadHidden, HeadOut = c.Method.HeadOut, LevelProjectionWidth = c.Method.LevelProjectionWidth,
                Precision = c.Method.Precision == ComputePrecision.BFloat16 ? "bf16" : "fp32",
            },
            Loss = new LossDto { Temperature = c.Method.Temperature, InfoNceChunkRows = c.Method.InfoNceChunkRows, ReconstructionWeight = c.Method.ReconstructionWeight },
            Sampling = new SamplingDto
            {
                PatchShape = [c.Sampling.PatchShape.X, c.Sampling.PatchShape.Y, c.Sampling.PatchShape.Z],
                VolumesPerBatch = c.Sampling.VolumesPerBatch, PairsPerVolume = c.Sampling.PairsPerVolume,
                PositionsPerPair = c.Sampling.PositionsPerPair, DatasetWeights = new Dictionary<string, double>(c.Sampling.DatasetWeights),
                Seed = c.Sampling.Seed, IncludeClean = c.Sampling.IncludeClean, Augmentations = c.Sampling.Augmentations,
            },
            Prefetch = new PrefetchDto { Workers = c.Prefetch.Workers, Capacity = c.Prefetch.Capacity },
        };
    }

    private sealed class CacheDto { public string? Dir { get; set; } public string? Spec { get; set; } }

    private sealed class ModelDto
    {
        public int InChannels { get; set; } = 1;
        public int? BaseChannels { get; set; }
        public int? Levels { get; set; }
        public int BlocksPerLevel { get; set; } = 2;
        public string Norm { get; set; } = "batch";
        public int HeadHidden { get; set; }
        public int HeadOut { get; set; } = 128;
        public int LevelProjectionWidth { get; set; } = 32;
        public string Precision { get; set; } = "fp32";
    }

    private sealed class LossDto
    {
        public double Temperature { get; set; } = 0.1;
        public int InfoNceChunkRows { get; set; } = 2048;
        public double ReconstructionWeight { get; set; } = 10;
    }

    private sealed class SamplingDto
    {
        public int[] PatchShape { get; set; } = [128, 128, 32];
        public int VolumesPerBatch { get; set; } = 10;
        public int PairsPerVolume { get; set; } = 1;
        public int PositionsPerPair { get; set; } = 1000;
        public Dictionary<string, double> DatasetWeights { get; set; } = new();
        public long? Seed { get; set; }
        public bool IncludeClean { get; set; }
        public AugmentationOptions Augmentations { get; set; } = new();
    }

    private sealed class PrefetchDto { public int Workers { get; set; } = 2; public int Capacity { get; set; } = 8; }
}
