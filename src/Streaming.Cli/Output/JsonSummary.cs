using System.Text.Json;
using System.Text.Json.Serialization;

namespace Streaming.Cli.Output;

/// <summary>Writes the one-line JSON summary that scripts and schedulers parse (last line of stdout).</summary>
public static class JsonSummary
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(object summary) => JsonSerializer.Serialize(summary, Options);

    public static void Write(object summary) => Console.Out.WriteLine(Serialize(summary));
}
