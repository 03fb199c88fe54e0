namespace Streaming.Shards.Specs.Yaml;

/// <summary>Where a config value was written: file, 1-based line and column (0 when unknown, e.g. JSON).</summary>
public readonly record struct ConfigPosition(string File, int Line, int Column)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

public enum ConfigNodeKind { Scalar, Mapping, Sequence }

/// <summary>A key of a mapping, where it was written, and its value.</summary>
public sealed record ConfigEntry(string Key, ConfigPosition KeyPosition, ConfigNode Value);

/// <summary>
/// A parsed config document (YAML, or JSON read the same way), every node with its position, so binding errors can
/// name file, line and key. Scalars keep their text; <see cref="IsString"/> marks values that are text by nature
/// (quoted in YAML, strings in JSON or in a DTO) as opposed to numbers, booleans and null.
/// </summary>
public sealed class ConfigNode
{
    private ConfigNode(ConfigNodeKind kind, string? value, bool isString, IReadOnlyList<ConfigEntry> entries, IReadOnlyList<ConfigNode> items, ConfigPosition position)
    {
        Kind = kind; Value = value; IsString = isString; Entries = entries; Items = items; Position = position;
    }

    public ConfigNodeKind Kind { get; }
    /// <summary>Scalar text; null for YAML null (<c>~</c>, <c>null</c>, an empty value).</summary>
    public string? Value { get; }
    public bool IsString { get; }
    public bool IsNull => Kind == ConfigNodeKind.Scalar && Value is null;
    public IReadOnlyList<ConfigEntry> Entries { get; }
    public IReadOnlyList<ConfigNode> Items { get; }
    public ConfigPosition Position { get; }

    /// <summary>The value of <paramref name="key"/> in a mapping, or null.</summary>
    public ConfigNode? this[string key] => Entries.FirstOrDefault(e => e.Key == key)?.Value;

    public static ConfigNode Scalar(string? value, bool isString, ConfigPosition position) => new(ConfigNodeKind.Scalar, value, isString, [], [], position);
    public static ConfigNode Mapping(IReadOnlyList<ConfigEntry> entries, ConfigPosition position) => new(ConfigNodeKind.Mapping, null, false, entries, [], position);
    public static ConfigNode Sequence(IReadOnlyList<ConfigNode> items, ConfigPosition position) => new(ConfigNodeKind.Sequence, null, false, [], items, position);

    /// <summary>A copy of this mapping without <paramref name="key"/>.</summary>
    public ConfigNode Without(string key) => Mapping(Entries.Where(e => e.Key != key).ToList(), Position);

    public string Describe() => Kind switch
    {
        ConfigNodeKind.Mapping => "a mapping",
        ConfigNodeKind.Sequence => "a list",
        _ => Value is null ? "null" : $"'{Value}'",
    };
}

/// <summary>Config errors: one line naming the file, line and column, the key and the reason.</summary>
public static class ConfigError
{
    public static InvalidDataException At(ConfigPosition where, string message) => new($"{where}: {message}");
}
