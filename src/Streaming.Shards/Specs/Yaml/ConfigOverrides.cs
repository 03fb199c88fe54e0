namespace Streaming.Shards.Specs.Yaml;

/// <summary>
/// Command-line overrides <c>key.path=value</c> (<c>--set</c>, as in Hydra and MONAI bundles), applied to a config tree
/// after <c>inherits</c> is resolved and before binding, so an override is checked like a key of the file (unknown keys
/// get the nearest valid one) and ends up in the resolved config a run records. The value is read as YAML:
/// <c>steps=500</c> is a number, <c>patchShape=[64,64,32]</c> a list, <c>name='007'</c> text.
/// </summary>
public static class ConfigOverrides
{
    public static ConfigNode Apply(ConfigNode root, IEnumerable<string>? assignments)
    {
        foreach (var a in assignments ?? [])
        {
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new ArgumentException($"--set {a}: expected key=value (e.g. --set steps=500, --set model.baseChannels=8)");
            var key = a[..eq].Trim();
            var parts = key.Split('.');
            if (parts.Any(p => p.Length == 0)) throw new ArgumentException($"--set {a}: '{key}' is not a key path (keys joined by dots)");
            var where = $"--set {a}";
            var value = ConfigYaml.Parse(a[(eq + 1)..], where);
            // An empty value parses as an empty document; the user meant null.
            if (value.Kind == ConfigNodeKind.Mapping && value.Entries.Count == 0 && a[(eq + 1)..].Trim().Length == 0)
                value = ConfigNode.Scalar(null, false, new ConfigPosition(where, 0, 0));
            root = Set(root, parts, 0, Relocate(value, where), where);
        }
        return root;
    }

    private static ConfigNode Set(ConfigNode node, string[] parts, int i, ConfigNode value, string where)
    {
        var at = new ConfigPosition(where, 0, 0);
        if (node.Kind != ConfigNodeKind.Mapping)
            throw ConfigError.At(at, $"'{string.Join('.', parts[..i])}' is {node.Describe()}, not a mapping of keys");
        var entries = node.Entries.ToList();
        var index = entries.FindIndex(e => e.Key == parts[i]);
        ConfigNode next;
        if (i == parts.Length - 1) next = value;
        else
        {
            var child = index >= 0 && !entries[index].Value.IsNull ? entries[index].Value : ConfigNode.Mapping([], at);
            next = Set(child, parts, i + 1, value, where);
        }
        var entry = new ConfigEntry(parts[i], at, next);
        if (index >= 0) entries[index] = entry; else entries.Add(entry);
        return ConfigNode.Mapping(entries, node.Position);
    }

    /// <summary>Every node of the value says it came from this --set (for error messages and path resolution).</summary>
    private static ConfigNode Relocate(ConfigNode n, string where)
    {
        var at = new ConfigPosition(where, 0, 0);
        return n.Kind switch
        {
            ConfigNodeKind.Mapping => ConfigNode.Mapping(n.Entries.Select(e => new ConfigEntry(e.Key, at, Relocate(e.Value, where))).ToList(), at),
            ConfigNodeKind.Sequence => ConfigNode.Sequence(n.Items.Select(x => Relocate(x, where)).ToList(), at),
            _ => ConfigNode.Scalar(n.Value, n.IsString, at),
        };
    }
}
