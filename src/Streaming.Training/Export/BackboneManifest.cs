using System.Globalization;
using System.Text;
using System.Text.Json;
using Streaming.Shards.Cache;
using Streaming.Shards.Specs;
using Streaming.Shards.Specs.Yaml;
using Streaming.Imaging.Volumes;
using Streaming.Sampling;
using Streaming.Training.Config;
using Streaming.Training.Methods;
using Streaming.Training.Models;

namespace Streaming.Training.Export;

/// <summary>
/// <c>backbone.json</c> beside <c>backbone.safetensors</c>: the method and its resolved <c>model</c>/<c>loss</c>/<c>sampling</c>
/// sections (enough to rebuild the feature extractor through <see cref="MethodCatalog"/>), the extractor's output
/// levels (channels and per-axis strides), and the model's <see cref="InputContract"/> (preprocessing spec and cache
/// key, intensity scaling, patch extent). Written atomically (temp, fsync, rename). Format 1 (before the input
/// contract) still reads; its model section is rebuilt from the flat architecture fields.
/// </summary>
public sealed record BackboneManifest(
    int FormatVersion,
    string Method,
    long Step,
    int InChannels,
    IReadOnlyList<FeatureLevel> Levels,
    InputContract Input,
    MethodSections Sections)
{
    public const int CurrentFormat = 2;

    public int[] OutputChannels => Levels.Select(l => l.Channels).ToArray();
    public int RepresentationDim => Levels.Sum(l => l.Channels);

    public static BackboneManifest Create(MethodOptions options, FeatureExtractor features, long step, PreprocessSpec? spec) => new(
        CurrentFormat, options.Name, step, features.InChannels, features.Levels,
        new InputContract(spec, spec is null ? null : SpecHasher.Key(spec), options.InputScaling, options.PatchShape),
        MethodCatalog.For(options).Describe(options));

    /// <summary>The method's options as trained (architecture, loss and sampling), rebuilt from the recorded sections.</summary>
    public MethodOptions ToMethodOptions(string where = ManifestName) =>
        MethodCatalog.Find(Method, new ConfigPosition(where, 0, 0)).Bind(Sections);

    private const string ManifestName = "backbone.json";

    public void Save(string path)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("formatVersion", FormatVersion);
            w.WriteString("method", Method);
            w.WriteNumber("step", Step);
            w.WriteStartObject("features");
            w.WriteNumber("inChannels", InChannels);
            w.WriteNumber("representationDim", RepresentationDim);
            w.WriteStartArray("levels");
            foreach (var l in Levels)
            {
                w.WriteStartObject();
                w.WriteNumber("channels", l.Channels);
                WriteInts(w, "stride", l.Stride);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("input");
            if (Input.Spec is { } spec) w.WriteString("modality", spec.Modality.ToString());
            w.WriteStartObject("scaling");
            var s = Input.Scaling ?? InputScaling.Identity;
            if (s.IsIdentity) w.WriteString("kind", "identity");
            else
            {
                w.WriteString("kind", "window");
                w.WriteNumber("lower", s.Lower);
                w.WriteNumber("upper", s.Upper);
            }
            w.WriteEndObject();
            WriteInts(w, "patchShape", Input.PatchShape);
            if (Input.Spec is { } sp)
            {
                w.WriteString("specKey", Input.SpecKey);
                w.WritePropertyName("spec");
                w.WriteRawValue(SpecHasher.CanonicalJson(sp));
            }
            w.WriteEndObject();
            foreach (var (name, node) in new[] { ("model", Sections.Model), ("loss", Sections.Loss), ("sampling", Sections.Sampling) })
            {
                if (node is null) continue;
                w.WritePropertyName(name);
                ConfigYaml.WriteJson(w, node);
            }
            w.WriteEndObject();
        }
        JsonLines.WriteAtomically(path, [Encoding.UTF8.GetString(ms.ToArray())]);
    }

    public static BackboneManifest Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var r = doc.RootElement;
            var version = r.TryGetProperty("formatVersion", out var v) ? v.GetInt32() : 1;
            if (version > CurrentFormat) throw new InvalidDataException($"{path}: backbone.json format {version}; this build reads 1..{CurrentFormat}");
            return version == 1 ? LoadV1(r, path) : LoadV2(r, path);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a readable backbone.json ({e.Message})", e);
        }
    }

    private static BackboneManifest LoadV2(JsonElement r, string path)
    {
        var f = r.GetProperty("features");
        var levels = f.GetProperty("levels").EnumerateArray()
            .Select(l => new FeatureLevel(l.GetProperty("channels").GetInt32(), Ints(l.GetProperty("stride")))).ToList();
        var i = r.GetProperty("input");
        var sc = i.GetProperty("scaling");
        var scaling = sc.GetProperty("kind").GetString() switch
        {
            "identity" => InputScaling.Identity,
            "window" => new InputScaling(sc.GetProperty("lower").GetDouble(), sc.GetProperty("upper").GetDouble()),
            var k => throw new InvalidDataException($"{path}: unknown input scaling kind '{k}'"),
        };
        var spec = i.TryGetProperty("spec", out var sp) ? SpecHasher.Parse(sp.GetRawText(), path) : null;
        var key = i.TryGetProperty("specKey", out var k2) ? k2.GetString() : null;
        ConfigNode? Section(string name) => r.TryGetProperty(name, out var e) ? ConfigYaml.FromJson(e, path) : null;
        return new BackboneManifest(2, r.GetProperty("method").GetString()!, r.GetProperty("step").GetInt64(), f.GetProperty("inChannels").GetInt32(),
            levels, new InputContract(spec, key, scaling, Ints(i.GetProperty("patchShape"))),
            new MethodSections(Section("model"), Section("loss"), Section("sampling")));
    }

    /// <summary>Format 1: flat architecture fields (3-D pyramids only), no input contract.</summary>
    private static BackboneManifest LoadV1(JsonElement r, string path)
    {
        var method = r.GetProperty("method").GetString()!;
        var at = new ConfigPosition(path, 0, 0);
        ConfigNode Num(string key) => ConfigNode.Scalar(r.GetProperty(key).GetRawText(), false, at);
        var model = new List<ConfigEntry>
        {
            new("inChannels", at, Num("inChannels")), new("baseChannels", at, Num("baseChannels")), new("levels", at, Num("levels")),
            new("blocksPerLevel", at, Num("blocksPerLevel")), new("norm", at, ConfigNode.Scalar(r.GetProperty("norm").GetString(), true, at)),
        };
        if (MethodCatalog.Find(method, at).Bind(new MethodSections(null, null, null)) is HierarchicalOptions)
            model.Add(new("levelProjectionWidth", at, Num("levelProjectionWidth")));
        var levels = FeatureLevel.Pyramid(r.GetProperty("outputChannels").EnumerateArray().Select(e => e.GetInt32()));
        return new BackboneManifest(1, method, r.GetProperty("step").GetInt64(), r.GetProperty("inChannels").GetInt32(), levels,
            new InputContract(null, null, null, default), new MethodSections(ConfigNode.Mapping(model, at), null, null));
    }

    private static void WriteInts(Utf8JsonWriter w, string name, Int3 v)
    {
        w.WriteStartArray(name);
        w.WriteNumberValue(v.X); w.WriteNumberValue(v.Y); w.WriteNumberValue(v.Z);
        w.WriteEndArray();
    }

    private static Int3 Ints(JsonElement e) => Int3.FromArray(e.EnumerateArray().Select(x => x.GetInt32()).ToArray());

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Method} step {Step}, {RepresentationDim} dims");
}
