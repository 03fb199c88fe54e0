using Streaming.Shards.Specs.Yaml;
using Streaming.Imaging.Volumes;
using Streaming.Shards.Format;

namespace Streaming.Shards.Specs;

/// <summary>
/// Loads a preprocessing spec from YAML (pipelines/*.yaml) through the shared config reader (<see cref="ConfigYaml"/>:
/// <c>inherits</c>, duplicate keys are errors). Unknown keys are errors with the nearest valid key (a typo must not
/// silently fall back to a default and produce a different cache); missing sections take the defaults of the spec
/// records.
/// </summary>
public static class SpecLoader
{
    public static PreprocessSpec Load(string path) => Load(path, null);

    /// <summary>The spec at <paramref name="path"/> with <c>--set key=value</c> overrides (which change its cache key as any edit would).</summary>
    public static PreprocessSpec Load(string path, IReadOnlyList<string>? overrides)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: preprocessing spec not found", path);
        var node = ConfigOverrides.Apply(ConfigYaml.Load(path), overrides);
        try { return ToSpec(ConfigBinder.Bind<SpecDto>(node), Path.GetFileNameWithoutExtension(path)); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static PreprocessSpec Parse(string yaml, string defaultName = "spec") =>
        ToSpec(ConfigBinder.Bind<SpecDto>(ConfigYaml.Parse(yaml, defaultName)), defaultName);

    private static PreprocessSpec ToSpec(SpecDto dto, string defaultName)
    {
        var modality = dto.Modality ?? throw new ArgumentException("modality must be CT or MR");
        var intensity = new IntensitySpec();
        var body = BodySpec.DefaultFor(modality);
        var crop = new CropSpec();
        var shard = new ShardSpec();
        var spec = new PreprocessSpec
        {
            Name = dto.Name ?? defaultName,
            Modality = modality,
            TargetSpacing = Vec(dto.TargetSpacing ?? throw new ArgumentException("targetSpacing is required (mm, [x, y, z])"), "targetSpacing"),
            TargetShape = dto.TargetShape is { } ts ? Ints(ts, "targetShape") : null,
            Intensity = dto.Intensity is { } i ? new IntensitySpec
            {
                ClipMin = i.ClipMin ?? intensity.ClipMin, ClipMax = i.ClipMax ?? intensity.ClipMax,
                PercentileLow = i.PercentileLow ?? intensity.PercentileLow, PercentileHigh = i.PercentileHigh ?? intensity.PercentileHigh,
            } : intensity,
            Body = dto.Body is { } b ? new BodySpec
            {
                AirThreshold = b.AirThreshold ?? body.AirThreshold, MinBodyMl = b.MinBodyMl ?? body.MinBodyMl, Fill = b.Fill ?? body.Fill,
            } : body,
            Crop = dto.Crop is { } c ? new CropSpec
            {
                MinShape = c.MinShape is { } s ? Ints(s, "crop.minShape") : crop.MinShape,
                Margin = c.Margin ?? crop.Margin,
                FixedExtentMm = c.FixedExtentMm is { } fe ? Vec(fe, "crop.fixedExtentMm") : crop.FixedExtentMm,
            } : crop,
            Shard = dto.Shard is { } sh ? new ShardSpec
            {
                ChunkShape = sh.ChunkShape is { } cs ? Ints(cs, "shard.chunkShape") : shard.ChunkShape,
                ZstdLevel = sh.ZstdLevel ?? shard.ZstdLevel,
            } : shard,
        };
        spec.Validate();
        return spec;
    }

    private static Vec3 Vec(double[] a, string name) =>
        a.Length == 3 ? new Vec3(a[0], a[1], a[2]) : throw new ArgumentException($"{name} needs 3 values, got {a.Length}");

    private static Int3 Ints(int[] a, string name) =>
        a.Length == 3 ? new Int3(a[0], a[1], a[2]) : throw new ArgumentException($"{name} needs 3 values, got {a.Length}");

    // YAML shape; nullable so "absent" and "default" can be told apart.
    private sealed class SpecDto
    {
        public string? Name { get; set; }
        public Modality? Modality { get; set; }
        public double[]? TargetSpacing { get; set; }
        public int[]? TargetShape { get; set; }
        public IntensityDto? Intensity { get; set; }
        public BodyDto? Body { get; set; }
        public CropDto? Crop { get; set; }
        public ShardDto? Shard { get; set; }
    }

    private sealed class IntensityDto
    {
        public double? ClipMin { get; set; }
        public double? ClipMax { get; set; }
        public double? PercentileLow { get; set; }
        public double? PercentileHigh { get; set; }
    }

    private sealed class BodyDto
    {
        public double? AirThreshold { get; set; }
        public double? MinBodyMl { get; set; }
        public BodyFill? Fill { get; set; }
    }

    private sealed class CropDto
    {
        public int[]? MinShape { get; set; }
        public int? Margin { get; set; }
        public double[]? FixedExtentMm { get; set; }
    }

    private sealed class ShardDto
    {
        public int[]? ChunkShape { get; set; }
        public int? ZstdLevel { get; set; }
    }
}
