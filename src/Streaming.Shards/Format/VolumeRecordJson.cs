using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streaming.Shards.Format;

/// <summary>The one JSON dialect for volume records (catalog lines, shard metadata): camelCase, enums as strings, one line.</summary>
public static class VolumeRecordJson
{
    public static readonly JsonSerializerOptions Options = Frozen(new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });

    public static string Serialize(VolumeRecord r) => JsonSerializer.Serialize(r, Options);

    /// <summary>Parses one record; <paramref name="where"/> names the file (and line) in the error.</summary>
    public static VolumeRecord Deserialize(string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<VolumeRecord>(json, Options)
                   ?? throw new InvalidDataException($"{where}: volume record is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: invalid volume record JSON ({e.Message})", e);
        }
    }

    // Read-only so no caller can change the shared dialect (and thereby keys or catalog lines) at run time.
    private static JsonSerializerOptions Frozen(JsonSerializerOptions o)
    {
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
