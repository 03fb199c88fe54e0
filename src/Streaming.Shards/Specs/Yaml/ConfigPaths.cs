namespace Streaming.Shards.Specs.Yaml;

/// <summary>
/// Paths written in a config name files relative to the config that wrote them (the file of an <c>inherits</c>
/// parent for its own keys), not to the current directory, so a run started from anywhere finds the same files.
/// A value given with <c>--set</c> is relative to the current directory, as on any command line. For configs written
/// before this rule (e.g. <c>spec: pipelines/x.yaml</c> relative to the repository root), a path that does not exist
/// beside the config but does from the current directory is still found there.
/// </summary>
public static class ConfigPaths
{
    public static string Resolve(ConfigNode valueNode)
    {
        var value = valueNode.Value ?? throw ConfigError.At(valueNode.Position, "a path is needed here");
        if (Path.IsPathRooted(value)) return value;
        var file = valueNode.Position.File;
        if (string.IsNullOrEmpty(file) || !File.Exists(file)) return Path.GetFullPath(value);
        var beside = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, value));
        if (Path.Exists(beside)) return beside;
        var fromCwd = Path.GetFullPath(value);
        return Path.Exists(fromCwd) ? fromCwd : beside;
    }

    /// <summary>The value at a dotted key path of a mapping, or null.</summary>
    public static ConfigNode? Find(ConfigNode root, string keyPath)
    {
        ConfigNode? n = root;
        foreach (var k in keyPath.Split('.'))
        {
            if (n is null || n.Kind != ConfigNodeKind.Mapping) return null;
            n = n[k];
        }
        return n is { IsNull: false } ? n : null;
    }
}
