using Streaming.Shards.Specs.Yaml;
using Streaming.Sampling.Slices;
using Streaming.Training.Models;

namespace Streaming.Evaluation.Slices;

/// <summary>
/// Reads <see cref="SliceFineTuneOptions"/> from YAML (pipelines/sal-eval*.yaml) through the shared config reader
/// (<c>inherits</c>; duplicate and unknown keys are errors naming file, line and the nearest valid key). Absent keys keep
/// the record's defaults; <c>model</c> is normally absent, the U-Net's shape then coming from the pre-trained models.
/// </summary>
public static class SliceFineTuneConfigLoader
{
    public static SliceFineTuneOptions Load(string path) => Load(path, null);

    /// <summary>The config at <paramref name="path"/> (or the defaults when null) with <c>--set key=value</c> overrides.</summary>
    public static SliceFineTuneOptions Load(string? path, IReadOnlyList<string>? overrides)
    {
        if (path is not null && !File.Exists(path)) throw new FileNotFoundException($"slice fine-tuning config not found: {path}", path);
        var node = path is null ? ConfigNode.Mapping([], new ConfigPosition("defaults", 0, 0)) : ConfigYaml.Load(path);
        return FromNode(ConfigOverrides.Apply(node, overrides), path ?? "slice fine-tuning config");
    }

    public static SliceFineTuneOptions Parse(string yaml, string source = "slice fine-tuning config") => FromNode(ConfigYaml.Parse(yaml, source), source);

    private static SliceFineTuneOptions FromNode(ConfigNode node, string source)
    {
        var y = ConfigBinder.Bind<Yaml>(node);
        var d = new SliceFineTuneOptions();
        try
        {
            var o = d with
            {
                Folds = y.Folds ?? d.Folds,
                MaxFolds = y.MaxFolds ?? d.MaxFolds,
                LabeledSubjects = y.LabeledSubjects ?? d.LabeledSubjects,
                Seed = y.Seed ?? d.Seed,
                Steps = y.Steps ?? d.Steps,
                BatchSize = y.BatchSize ?? d.BatchSize,
                LearningRate = y.Lr ?? d.LearningRate,
                Patch = y.Patch is null ? d.Patch : y.Patch is [var px, var py] ? new PlaneShape(px, py) : throw new ArgumentException("patch must be [x, y]"),
                ForegroundFraction = y.ForegroundFraction ?? d.ForegroundFraction,
                Labels = y.Labels ?? d.Labels,
                Model = y.Model is { } m ? d.Model with { InChannels = m.InChannels ?? d.Model.InChannels, Widths = m.Widths ?? d.Model.Widths, Norm = m.Norm ?? d.Model.Norm } : d.Model,
                PredictBatch = y.PredictBatch ?? d.PredictBatch,
                Device = y.Device ?? d.Device,
                Threads = y.Threads ?? d.Threads,
                WritePredictions = y.WritePredictions ?? d.WritePredictions,
            };
            o.Validate();
            return o;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    // The YAML shape; nullable so that "absent" means "the record's default".
    private sealed class Yaml
    {
        public int? Folds { get; set; }
        public int? MaxFolds { get; set; }
        public List<int>? LabeledSubjects { get; set; }
        public long? Seed { get; set; }
        public int? Steps { get; set; }
        public int? BatchSize { get; set; }
        public double? Lr { get; set; }
        public int[]? Patch { get; set; }
        public double? ForegroundFraction { get; set; }
        public List<int>? Labels { get; set; }
        public ModelYaml? Model { get; set; }
        public int? PredictBatch { get; set; }
        public string? Device { get; set; }
        public int? Threads { get; set; }
        public bool? WritePredictions { get; set; }
    }

    private sealed class ModelYaml
    {
        public int? InChannels { get; set; }
        public int[]? Widths { get; set; }
        public NormKind? Norm { get; set; }
    }
}
