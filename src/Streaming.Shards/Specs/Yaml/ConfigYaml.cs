using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Streaming.Shards.Specs.Yaml;

/// <summary>
/// Reads and writes config files for every loader (preprocessing specs, pre-training and evaluation configs), so they
/// share one dialect and one set of rules: duplicate keys are errors; <c>inherits: other.yaml</c> (path relative to the
/// file) starts from another config and overrides it key by key (mappings merge recursively; lists and scalars
/// replace), resolved here only, with a cycle check. YamlDotNet parses; the tree is ours because its deserializer can
/// neither report a duplicate key by name nor keep positions through a merge of two files.
/// </summary>
public static class ConfigYaml
{
    public const string InheritsKey = "inherits";

    /// <summary>Loads <paramref name="path"/> with its <c>inherits</c> chain resolved.</summary>
    public static ConfigNode Load(string path) => Load(Path.GetFullPath(path), []);

    private static ConfigNode Load(string path, List<string> chain)
    {
        if (chain.Contains(path))
            throw new InvalidDataException($"{chain[0]}: inherits cycle: {string.Join(" → ", chain.Append(path).Select(Path.GetFileName))}");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: config not found", path);
        var node = Parse(File.ReadAllText(path), path);
        if (node.Kind != ConfigNodeKind.Mapping)
            throw ConfigError.At(node.Position, $"a config must be a mapping of keys, not {node.Describe()}");
        if (node[InheritsKey] is not { } parentRef) return node;
        if (parentRef.Kind != ConfigNodeKind.Scalar || string.IsNullOrWhiteSpace(parentRef.Value))
            throw ConfigError.At(parentRef.Position, $"{InheritsKey} must name a config file (e.g. {InheritsKey}: base.yaml)");
        var dir = Path.GetDirectoryName(path)!;
        var parentPath = Path.GetFullPath(Path.Combine(dir, parentRef.Value));
        if (!File.Exists(parentPath))
        {
            var siblings = Directory.EnumerateFiles(dir, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal);
            throw ConfigError.At(parentRef.Position, $"{InheritsKey}: {parentRef.Value} not found in {dir}; configs there: {string.Join(", ", siblings)}");
        }
        chain.Add(path);
        var parent = Load(parentPath, chain);
        chain.RemoveAt(chain.Count - 1);
        return Merge(parent, node.Without(InheritsKey));
    }

    /// <summary>The child's value wins; two mappings merge key by key (the parent's key order first).</summary>
    public static ConfigNode Merge(ConfigNode parent, ConfigNode child)
    {
        if (parent.Kind != ConfigNodeKind.Mapping || child.Kind != ConfigNodeKind.Mapping) return child;
        var entries = new List<ConfigEntry>();
        foreach (var p in parent.Entries)
        {
            var c = child.Entries.FirstOrDefault(e => e.Key == p.Key);
            entries.Add(c is null ? p : c with { Value = Merge(p.Value, c.Value) });
        }
        entries.AddRange(child.Entries.Where(c => parent.Entries.All(p => p.Key != c.Key)));
        return ConfigNode.Mapping(entries, child.Position);
    }

    /// <summary>Parses one YAML document (an empty text is an empty mapping). Errors name <paramref name="file"/> and the line.</summary>
    public static ConfigNode Parse(string yaml, string file)
    {
        try
        {
            var parser = new Parser(new StringReader(yaml));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) return ConfigNode.Mapping([], new ConfigPosition(file, 1, 1));
            parser.Consume<DocumentStart>();
            var anchors = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
            var root = parser.Accept<DocumentEnd>(out _) ? ConfigNode.Mapping([], new ConfigPosition(file, 1, 1)) : ReadNode(parser, file, anchors);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
                throw ConfigError.At(Pos(file, parser.Current!.Start), "a config file holds one YAML document");
            return root;
        }
        catch (YamlException e)
        {
            throw ConfigError.At(Pos(file, e.Start), (e.InnerException ?? e).Message.Trim());
        }
    }

    private static ConfigNode ReadNode(IParser parser, string file, Dictionary<string, ConfigNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
            return anchors.TryGetValue(alias.Value.Value, out var a) ? a
                : throw ConfigError.At(Pos(file, alias.Start), $"unknown alias *{alias.Value.Value}");
        ConfigNode node;
        string? anchor;
        if (parser.TryConsume<Scalar>(out var s))
        {
            anchor = s.Anchor.IsEmpty ? null : s.Anchor.Value;
            var quoted = s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
            var isNull = !quoted && s.Value is "" or "~" or "null" or "Null" or "NULL";
            node = ConfigNode.Scalar(isNull ? null : s.Value, quoted, Pos(file, s.Start));
        }
        else if (parser.TryConsume<SequenceStart>(out var seq))
        {
            anchor = seq.Anchor.IsEmpty ? null : seq.Anchor.Value;
            var items = new List<ConfigNode>();
            while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode(parser, file, anchors));
            node = ConfigNode.Sequence(items, Pos(file, seq.Start));
        }
        else
        {
            var map = parser.Consume<MappingStart>();
            anchor = map.Anchor.IsEmpty ? null : map.Anchor.Value;
            var entries = new List<ConfigEntry>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser, file, anchors);
                if (keyNode.Kind != ConfigNodeKind.Scalar || keyNode.Value is null)
                    throw ConfigError.At(keyNode.Position, $"a key must be a plain name, not {keyNode.Describe()}");
                var value = ReadNode(parser, file, anchors);
                var first = entries.FirstOrDefault(e => e.Key == keyNode.Value);
                if (first is not null)
                    throw ConfigError.At(keyNode.Position, $"duplicate key '{keyNode.Value}' (first set on line {first.KeyPosition.Line})");
                entries.Add(new ConfigEntry(keyNode.Value, keyNode.Position, value));
            }
            node = ConfigNode.Mapping(entries, Pos(file, map.Start));
        }
        if (anchor is not null) anchors[anchor] = node;
        return node;
    }

    private static ConfigPosition Pos(string file, Mark m) => new(file, (int)m.Line, (int)m.Column);

    /// <summary>Block-style YAML of a tree (lists of scalars in flow style), with an optional leading comment.</summary>
    public static string ToYaml(ConfigNode node, string? comment = null)
    {
        var sb = new StringBuilder();
        if (comment is not null) foreach (var line in comment.Split('\n')) sb.Append("# ").Append(line).Append('\n');
        if (node.Kind != ConfigNodeKind.Mapping) throw new ArgumentException("the root of a config is a mapping");
        WriteEntries(sb, node, 0);
        return sb.ToString();
    }

    private static void WriteEntries(StringBuilder sb, ConfigNode map, int indent)
    {
        foreach (var e in map.Entries)
        {
            sb.Append(' ', indent).Append(e.Key).Append(':');
            var v = e.Value;
            if (v.Kind == ConfigNodeKind.Mapping)
            {
                if (v.Entries.Count == 0) sb.Append(" {}\n");
                else { sb.Append('\n'); WriteEntries(sb, v, indent + 2); }
            }
            else if (v.Kind == ConfigNodeKind.Sequence && v.Items.All(i => i.Kind == ConfigNodeKind.Scalar))
                sb.Append(" [").AppendJoin(", ", v.Items.Select(ScalarText)).Append("]\n");
            else if (v.Kind == ConfigNodeKind.Sequence)
            {
                sb.Append('\n');
                foreach (var item in v.Items)
                {
                    if (item.Kind != ConfigNodeKind.Mapping) throw new ArgumentException("nested lists are not written");
                    sb.Append(' ', indent + 2).Append("-\n");
                    WriteEntries(sb, item, indent + 4);
                }
            }
            else sb.Append(' ').Append(ScalarText(v)).Append('\n');
        }
    }

    private static string ScalarText(ConfigNode s)
    {
        if (s.Value is null) return "null";
        if (!s.IsString) return s.Value;
        // Plain when it reads back as the same text and cannot be taken for a number, boolean or null.
        var plain = s.Value.Length > 0 && !char.IsWhiteSpace(s.Value[0]) && !char.IsWhiteSpace(s.Value[^1])
                    && s.Value.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/')
                    && !char.IsDigit(s.Value[0]) && s.Value[0] is not ('-' or '.')
                    && s.Value is not ("true" or "false" or "True" or "False" or "TRUE" or "FALSE" or "null" or "Null" or "NULL" or "~");
        return plain ? s.Value : JsonSerializer.Serialize(s.Value);
    }

    /// <summary>Writes a tree as JSON (numbers and booleans as such; strings as strings).</summary>
    public static void WriteJson(Utf8JsonWriter w, ConfigNode node)
    {
        switch (node.Kind)
        {
            case ConfigNodeKind.Mapping:
                w.WriteStartObject();
                foreach (var e in node.Entries) { w.WritePropertyName(e.Key); WriteJson(w, e.Value); }
                w.WriteEndObject();
                break;
            case ConfigNodeKind.Sequence:
                w.WriteStartArray();
                foreach (var i in node.Items) WriteJson(w, i);
                w.WriteEndArray();
                break;
            default:
                if (node.Value is null) w.WriteNullValue();
                else if (node.IsString) w.WriteStringValue(node.Value);
                else if (node.Value is "true" or "false") w.WriteBooleanValue(node.Value == "true");
                else if (double.TryParse(node.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) w.WriteRawValue(node.Value);
                else w.WriteStringValue(node.Value);
                break;
        }
    }

    /// <summary>A JSON value as a tree (positions name <paramref name="file"/> only).</summary>
    public static ConfigNode FromJson(JsonElement e, string file)
    {
        var at = new ConfigPosition(file, 0, 0);
        return e.ValueKind switch
        {
            JsonValueKind.Object => ConfigNode.Mapping(e.EnumerateObject().Select(p => new ConfigEntry(p.Name, at, FromJson(p.Value, file))).ToList(), at),
            JsonValueKind.Array => ConfigNode.Sequence(e.EnumerateArray().Select(i => FromJson(i, file)).ToList(), at),
            JsonValueKind.String => ConfigNode.Scalar(e.GetString(), true, at),
            JsonValueKind.Null or JsonValueKind.Undefined => ConfigNode.Scalar(null, false, at),
            _ => ConfigNode.Scalar(e.GetRawText(), false, at),
        };
    }
}
