using System.Text.Json;
using Streaming.Training.Methods;
using Streaming.Training.Models;

namespace Streaming.Training.Export;

/// <summary>
/// <c>backbone.json</c> beside <c>backbone.safetensors</c>: what is needed to rebuild the backbone and read its
/// output (method, architecture, per-level channels and strides).
/// </summary>
public sealed record BackboneManifest(
    string Method, int InChannels, int BaseChannels, int Levels, int BlocksPerLevel, string Norm,
    int LevelProjectionWidth, int[] OutputChannels, int RepresentationDim, long Step)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static BackboneManifest From(MethodOptions o, DenseBackbone b, long step) => new(
        o.Method, o.Backbone.InChannels, o.Backbone.BaseChannels, o.Backbone.Levels, o.Backbone.BlocksPerLevel,
        o.Backbone.Norm == NormKind.Batch ? "batch" : "group", o.LevelProjectionWidth, b.OutputChannels, b.RepresentationDim, step);

    public MethodOptions ToMethodOptions() => new()
    {
        Method = Method, LevelProjectionWidth = LevelProjectionWidth,
        Backbone = new BackboneOptions
        {
            InChannels = InChannels, BaseChannels = BaseChannels, Levels = Levels, BlocksPerLevel = BlocksPerLevel,
            Norm = Norm == "group" ? NormKind.Group : NormKind.Batch,
        },
    };

    public void Save(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, path, overwrite: true);
    }

    public static BackboneManifest Load(string path)
    {
        try { return JsonSerializer.Deserialize<BackboneManifest>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }
}
