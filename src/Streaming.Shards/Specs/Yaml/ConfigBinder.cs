using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Streaming.Shards.Specs.Yaml;

/// <summary>
/// Maps a config tree onto a YAML-shaped DTO (and back) by reflection: a key is a settable property's camelCase name.
/// Loaders bind into DTOs whose properties are nullable, so "absent" stays null and the options records keep the only
/// copy of every default. An unknown key is an error naming file, line and key, with the nearest valid key; a value of
/// the wrong type names the key and what it must be. Property types: string, bool, int, long, double, enums (any case),
/// their nullable forms, T[] / List / IReadOnlyList, string-keyed dictionaries, <see cref="ConfigNode"/> (kept raw, for
/// sections another binder reads) and nested DTO classes with a parameterless constructor.
/// </summary>
public static class ConfigBinder
{
    public static T Bind<T>(ConfigNode? node, string path = "") where T : class, new() => (T)BindObject(typeof(T), node, path)!;

    private static object? BindObject(Type type, ConfigNode? node, string path)
    {
        var result = Activator.CreateInstance(type)!;
        if (node is null || node.IsNull) return result;
        if (node.Kind != ConfigNodeKind.Mapping)
            throw ConfigError.At(node.Position, $"{Label(path)} must be a mapping of keys, not {node.Describe()}");
        var props = Settable(type);
        foreach (var e in node.Entries)
        {
            var key = Join(path, e.Key);
            if (!props.TryGetValue(e.Key, out var prop))
                throw ConfigError.At(e.KeyPosition, $"unknown key '{key}'{Suggest(e.Key, props.Keys, path)}");
            prop.SetValue(result, Convert(prop.PropertyType, e.Value, key));
        }
        return result;
    }

    private static object? Convert(Type type, ConfigNode node, string path)
    {
        if (type == typeof(ConfigNode)) return node;
        var nullable = Nullable.GetUnderlyingType(type);
        var target = nullable ?? type;
        if (node.IsNull)
        {
            if (type.IsValueType && nullable is null) throw ConfigError.At(node.Position, $"{path} needs a value");
            return null;
        }
        if (target == typeof(string)) return ScalarOf(node, path, "a text value");
        if (target == typeof(bool))
            return ScalarOf(node, path, "true or false") switch
            {
                "true" or "True" or "TRUE" => true,
                "false" or "False" or "FALSE" => false,
                var v => throw ConfigError.At(node.Position, $"{path} must be true or false, not '{v}'"),
            };
        if (target == typeof(int)) return Number(node, path, "a whole number", s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture));
        if (target == typeof(long)) return Number(node, path, "a whole number", s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture));
        if (target == typeof(double)) return Number(node, path, "a number", s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));
        if (target.IsEnum)
        {
            var text = ScalarOf(node, path, "a name");
            var names = Enum.GetNames(target);
            var match = names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            return match is not null ? Enum.Parse(target, match)
                : throw ConfigError.At(node.Position, $"{path} must be one of {string.Join(", ", names.Select(EnumText))}, not '{text}'");
        }
        if (ElementType(target) is { } element)
        {
            if (node.Kind != ConfigNodeKind.Sequence) throw ConfigError.At(node.Position, $"{path} must be a list, not {node.Describe()}");
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            for (var i = 0; i < node.Items.Count; i++) list.Add(Convert(element, node.Items[i], $"{path}[{i}]"));
            if (!target.IsArray) return list;
            var array = Array.CreateInstance(element, list.Count);
            list.CopyTo(array, 0);
            return array;
        }
        if (DictionaryValueType(target) is { } valueType)
        {
            if (node.Kind != ConfigNodeKind.Mapping) throw ConfigError.At(node.Position, $"{path} must be a mapping, not {node.Describe()}");
            var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
            foreach (var e in node.Entries) dict[e.Key] = Convert(valueType, e.Value, $"{path}.{e.Key}");
            return dict;
        }
        if (target.IsClass && target.GetConstructor(Type.EmptyTypes) is not null) return BindObject(target, node, path);
        throw new NotSupportedException($"config binder: property type {target} of {path} is not supported");
    }

    private static string ScalarOf(ConfigNode node, string path, string what) =>
        node.Kind == ConfigNodeKind.Scalar ? node.Value! : throw ConfigError.At(node.Position, $"{path} must be {what}, not {node.Describe()}");

    private static object Number(ConfigNode node, string path, string what, Func<string, object> parse)
    {
        var text = ScalarOf(node, path, what);
        try { return node.IsString ? throw new FormatException() : parse(text); }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw ConfigError.At(node.Position, $"{path} must be {what}, not '{text}'");
        }
    }

    /// <summary>A DTO (or any object with settable properties) as a tree; null properties are left out.</summary>
    public static ConfigNode Describe(object dto, string file = "")
    {
        var at = new ConfigPosition(file, 0, 0);
        return DescribeValue(dto, at)!;
    }

    private static ConfigNode? DescribeValue(object? value, ConfigPosition at)
    {
        switch (value)
        {
            case null: return null;
            case ConfigNode n: return n;
            case string s: return ConfigNode.Scalar(s, true, at);
            case bool b: return ConfigNode.Scalar(b ? "true" : "false", false, at);
            case int or long: return ConfigNode.Scalar(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture), false, at);
            case double d: return ConfigNode.Scalar(d.ToString("R", CultureInfo.InvariantCulture), false, at);
            case Enum e: return ConfigNode.Scalar(EnumText(e.ToString()), true, at);
            case IDictionary dict:
                return ConfigNode.Mapping(dict.Keys.Cast<object>().Select(k => (k, v: DescribeValue(dict[k], at)))
                    .Where(t => t.v is not null).Select(t => new ConfigEntry((string)t.k, at, t.v!)).ToList(), at);
            case IEnumerable items:
                return ConfigNode.Sequence(items.Cast<object?>().Select(i => DescribeValue(i, at) ?? ConfigNode.Scalar(null, false, at)).ToList(), at);
        }
        var entries = new List<ConfigEntry>();
        foreach (var (key, prop) in Settable(value.GetType()))
            if (DescribeValue(prop.GetValue(value), at) is { } v) entries.Add(new ConfigEntry(key, at, v));
        return ConfigNode.Mapping(entries, at);
    }

    /// <summary>Settable (set or init) public instance properties by camelCase key, in declaration order.</summary>
    private static Dictionary<string, PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => Camel(p.Name), StringComparer.Ordinal);

    private static Type? ElementType(Type t)
    {
        if (t.IsArray) return t.GetElementType();
        if (!t.IsGenericType) return null;
        var g = t.GetGenericTypeDefinition();
        return g == typeof(List<>) || g == typeof(IReadOnlyList<>) || g == typeof(IList<>) || g == typeof(IEnumerable<>) || g == typeof(IReadOnlyCollection<>)
            ? t.GetGenericArguments()[0] : null;
    }

    private static Type? DictionaryValueType(Type t)
    {
        if (!t.IsGenericType) return null;
        var g = t.GetGenericTypeDefinition();
        var args = t.GetGenericArguments();
        return (g == typeof(Dictionary<,>) || g == typeof(IReadOnlyDictionary<,>) || g == typeof(IDictionary<,>)) && args[0] == typeof(string) ? args[1] : null;
    }

    /// <summary>Enum names as configs write them: camelCase (axialSlices), acronyms kept (CT).</summary>
    public static string EnumText(string name) => name.All(char.IsUpper) ? name : Camel(name);

    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Label(string path) => path.Length == 0 ? "the config" : path;

    /// <summary>"; did you mean 'x'?" for the nearest valid key (edit distance), else the list of valid keys.</summary>
    public static string Suggest(string key, IEnumerable<string> valid, string path = "")
    {
        var names = valid.ToList();
        var best = names.Select(n => (n, d: Distance(key.ToLowerInvariant(), n.ToLowerInvariant()))).OrderBy(t => t.d).ThenBy(t => t.n, StringComparer.Ordinal).FirstOrDefault();
        if (best.n is not null && best.d <= Math.Max(2, key.Length / 3)) return $"; did you mean '{Join(path, best.n)}'?";
        return $"; valid keys{(path.Length == 0 ? "" : $" in {path}")}: {string.Join(", ", names)}";
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
