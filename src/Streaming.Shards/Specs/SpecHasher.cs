using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Streaming.Shards.Format;
using Streaming.Imaging.Volumes;

namespace Streaming.Shards.Specs;

/// <summary>
/// The cache key of a <see cref="PreprocessSpec"/>: the first 16 hex digits of SHA-256 over the spec's canonical JSON
/// plus the shard format version. Canonical JSON = camelCase names sorted ordinally at every level, enums as names,
/// vectors as [x, y, z], numbers in System.Text.Json's invariant shortest round-trip form, no whitespace.
/// Every property of the spec is serialised by reflection, so a field added later changes the key automatically.
/// </summary>
public static class SpecHasher
{
    public const int KeyLength = 16;

    public static readonly JsonSerializerOptions JsonOptions = Frozen(new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(), new Vec3ArrayConverter(), new Int3ArrayConverter() },
        WriteIndented = false,
    });

    public static string CanonicalJson(PreprocessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var node = JsonSerializer.SerializeToNode(spec, JsonOptions)!;
        return Sorted(node)!.ToJsonString(JsonOptions);
    }

    public static string Key(PreprocessSpec spec)
    {
        var text = CanonicalJson(spec) + "\nshard-format=" + ShardFormat.Version;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..KeyLength];
    }

    /// <summary>Reads a spec written by <see cref="CanonicalJson"/>; <paramref name="where"/> names the file in errors.</summary>
    public static PreprocessSpec Parse(string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<PreprocessSpec>(json, JsonOptions)
                   ?? throw new InvalidDataException($"{where}: spec is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: invalid spec JSON ({e.Message})", e);
        }
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };

    private sealed class Vec3ArrayConverter : JsonConverter<Vec3>
    {
        public override Vec3 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Vec3.FromArray(ReadArray<double>(ref reader, options));

        public override void Write(Utf8JsonWriter writer, Vec3 value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }

    private sealed class Int3ArrayConverter : JsonConverter<Int3>
    {
        public override Int3 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Int3.FromArray(ReadArray<int>(ref reader, options));

        public override void Write(Utf8JsonWriter writer, Int3 value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }

    private static T[] ReadArray<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var a = JsonSerializer.Deserialize<T[]>(ref reader, options);
        return a is { Length: 3 } ? a : throw new JsonException("expected an array of 3 numbers");
    }

    // Read-only so no caller can change the shared dialect (and thereby keys or catalog lines) at run time.
    private static JsonSerializerOptions Frozen(JsonSerializerOptions o)
    {
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
