using Streaming.Shards.Specs.Yaml;
using Streaming.Sampling;

namespace Streaming.Training.Config;

/// <summary>
/// Reads and writes <see cref="PretrainConfig"/> as YAML through the shared config reader (<see cref="ConfigYaml"/>:
/// <c>inherits</c>, duplicate and unknown keys are errors naming file, line and the nearest valid key). The loader only
/// maps keys: absent keys keep the defaults of <see cref="PretrainConfig"/> and of the method's options record, which
/// <see cref="MethodCatalog"/> picks from <c>method:</c>.
/// </summary>
public static class PretrainConfigLoader
{
    public static PretrainConfig Load(string path) => Load(path, null);

    /// <summary>
    /// The config at <paramref name="path"/> with <c>--set key=value</c> overrides, recorded in the run's resolved
    /// config.yaml. <c>cache.spec</c> is relative to the config that names it (<see cref="ConfigPaths"/>); outputs
    /// (<c>runDir</c>, <c>cache.dir</c>) are relative to the current directory, as a command's outputs are.
    /// </summary>
    public static PretrainConfig Load(string path, IReadOnlyList<string>? overrides)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"pre-training config not found: {path}", path);
        var node = ConfigOverrides.Apply(ConfigYaml.Load(path), overrides);
        var config = FromNode(node, path);
        return ConfigPaths.Find(node, "cache.spec") is { } spec ? config with { CacheSpec = ConfigPaths.Resolve(spec) } : config;
    }

    public static PretrainConfig Parse(string yaml, string source = "config") => FromNode(ConfigYaml.Parse(yaml, source), source);

    /// <summary>The resolved configuration (every value, defaults filled in); <see cref="Parse"/> reads it back.</summary>
    public static string ToYaml(PretrainConfig c, string? comment = null) => ConfigYaml.ToYaml(ConfigBinder.Describe(PretrainYaml.From(c)), comment);

    private static PretrainConfig FromNode(ConfigNode node, string source)
    {
        var dto = ConfigBinder.Bind<PretrainYaml>(node);
        var d = new PretrainConfig();
        var method = dto.Method is { } name ? MethodCatalog.Find(name, node["method"]!.Position) : MethodCatalog.For(d.Method);
        try
        {
            var c = new PretrainConfig
            {
                Method = method.Bind(new MethodSections(dto.Model, dto.Loss, dto.Sampling)),
                Device = dto.Device ?? d.Device, Seed = dto.Seed ?? d.Seed, Threads = dto.Threads ?? d.Threads, Steps = dto.Steps ?? d.Steps,
                CheckpointEvery = dto.CheckpointEvery ?? d.CheckpointEvery, KeepCheckpoints = dto.KeepCheckpoints ?? d.KeepCheckpoints,
                LogEvery = dto.LogEvery ?? d.LogEvery, LearningRate = dto.Lr ?? d.LearningRate, GradClip = dto.GradClip ?? d.GradClip,
                WeightDecay = dto.WeightDecay ?? d.WeightDecay, LrSchedule = dto.LrSchedule ?? d.LrSchedule, PolyPower = dto.PolyPower ?? d.PolyPower,
                RunDir = dto.RunDir ?? d.RunDir, Progress = dto.Progress ?? d.Progress, StepTiming = dto.StepTiming ?? d.StepTiming,
                ProgressSeconds = dto.ProgressSeconds ?? d.ProgressSeconds,
                CacheDir = dto.Cache?.Dir ?? d.CacheDir, CacheSpec = dto.Cache?.Spec ?? d.CacheSpec,
                Prefetch = new PrefetchOptions
                {
                    Workers = dto.Prefetch?.Workers ?? d.Prefetch.Workers, Capacity = dto.Prefetch?.Capacity ?? d.Prefetch.Capacity,
                },
            };
            c.Validate();
            return c;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    // The YAML shape; nullable so that "absent" means "the record's default".
    private sealed class PretrainYaml
    {
        public string? Method { get; set; }
        public string? Device { get; set; }
        public long? Seed { get; set; }
        public int? Threads { get; set; }
        public long? Steps { get; set; }
        public long? CheckpointEvery { get; set; }
        public int? KeepCheckpoints { get; set; }
        public int? LogEvery { get; set; }
        public double? Lr { get; set; }
        public double? GradClip { get; set; }
        public double? WeightDecay { get; set; }
        public LrSchedule? LrSchedule { get; set; }
        public double? PolyPower { get; set; }
        public string? RunDir { get; set; }
        public bool? Progress { get; set; }
        public bool? StepTiming { get; set; }
        public double? ProgressSeconds { get; set; }
        public CacheYaml? Cache { get; set; }
        /// <summary>The method's own sections, bound by its <see cref="MethodYaml"/>.</summary>
        public ConfigNode? Model { get; set; }
        public ConfigNode? Loss { get; set; }
        public ConfigNode? Sampling { get; set; }
        public PrefetchYaml? Prefetch { get; set; }

        public static PretrainYaml From(PretrainConfig c)
        {
            var sections = MethodCatalog.For(c.Method).Describe(c.Method);
            return new()
            {
                Method = c.Method.Name, Device = c.Device, Seed = c.Seed, Threads = c.Threads, Steps = c.Steps, CheckpointEvery = c.CheckpointEvery,
                KeepCheckpoints = c.KeepCheckpoints, LogEvery = c.LogEvery, Lr = c.LearningRate, GradClip = c.GradClip, RunDir = c.RunDir,
                // Written only when used, so configs without them keep their resume fingerprints.
                WeightDecay = c.WeightDecay == 0 ? null : c.WeightDecay, LrSchedule = c.LrSchedule == Config.LrSchedule.Constant ? null : c.LrSchedule,
                PolyPower = c.LrSchedule == Config.LrSchedule.Constant ? null : c.PolyPower,
                Progress = c.Progress, ProgressSeconds = c.ProgressSeconds, StepTiming = c.StepTiming, Cache = new CacheYaml { Dir = c.CacheDir, Spec = c.CacheSpec },
                Model = sections.Model, Loss = sections.Loss, Sampling = sections.Sampling,
                Prefetch = new PrefetchYaml { Workers = c.Prefetch.Workers, Capacity = c.Prefetch.Capacity },
            };
        }
    }

    private sealed class CacheYaml
    {
        public string? Dir { get; set; }
        public string? Spec { get; set; }
    }

    private sealed class PrefetchYaml
    {
        public int? Workers { get; set; }
        public int? Capacity { get; set; }
    }
}
