using Streaming.Ingest.Volumes;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Streaming.Ingest.Specs;

/// <summary>
/// Loads a preprocessing spec from YAML (pipelines/*.yaml). Unknown keys are errors (a typo must not silently fall back
/// to a default and produce a different cache); missing sections take the documented defaults.
/// </summary>
public static class SpecLoader
{
    public static PreprocessSpec Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: preprocessing spec not found", path);
        try { return Parse(File.ReadAllText(path), Path.GetFileNameWithoutExtension(path)); }
        catch (Exception e) when (e is YamlException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static PreprocessSpec Parse(string yaml, string defaultName = "spec")
    {
        var dto = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<SpecDto>(yaml) ?? new SpecDto();
        var modality = Enum.TryParse<Modality>(dto.Modality ?? "", true, out var m) ? m
            : throw new ArgumentException($"modality must be CT or MR, not '{dto.Modality}'");
        var isCt = modality == Modality.CT;
        var intensity = new IntensitySpec();
        var body = new BodySpec { AirThreshold = isCt ? -500 : 0.3 };
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
                AirThreshold = b.AirThreshold ?? body.AirThreshold, MinBodyMl = b.MinBodyMl ?? body.MinBodyMl,
                Fill = b.Fill is null ? body.Fill : Enum.TryParse<BodyFill>(b.Fill, true, out var f) ? f
                    : throw new ArgumentException($"body.fill must be axialSlices or volume, not '{b.Fill}'"),
            } : body,
            Crop = dto.Crop is { } c ? new CropSpec
            {
                MinShape = c.MinShape is { } s ? Ints(s, "crop.minShape") : new CropSpec().MinShape,
                Margin = c.Margin ?? 0,
            } : new CropSpec(),
            Shard = dto.Shard is { } sh ? new ShardSpec
            {
                ChunkShape = sh.ChunkShape is { } cs ? Ints(cs, "shard.chunkShape") : new ShardSpec().ChunkShape,
                ZstdLevel = sh.ZstdLevel ?? new ShardSpec().ZstdLevel,
            } : new ShardSpec(),
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
        public string? Modality { get; set; }
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
        public string? Fill { get; set; }
    }

    private sealed class CropDto
    {
        public int[]? MinShape { get; set; }
        public int? Margin { get; set; }
    }

    private sealed class ShardDto
    {
        public int[]? ChunkShape { get; set; }
        public int? ZstdLevel { get; set; }
    }
}
