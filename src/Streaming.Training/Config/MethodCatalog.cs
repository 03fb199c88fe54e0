using Streaming.Shards.Specs.Yaml;
using Streaming.Training.Methods;

namespace Streaming.Training.Config;

/// <summary>
/// Every method a config can name: the one list a new method is added to (its options record, method class and
/// feature extractor live in Methods/ and Models/; its YAML mapping next to this file).
/// </summary>
public static class MethodCatalog
{
    public static readonly IReadOnlyList<MethodYaml> All =
    [
        new Vox2VecYaml(Vox2VecDecoder.Fpn),
        new Vox2VecYaml(Vox2VecDecoder.UNet),
        new HierarchicalYaml(),
        new SalYaml(),
    ];

    public static IEnumerable<string> Names => All.Select(m => m.Name);

    /// <summary>The entry named <paramref name="name"/>; an unknown name is an error at <paramref name="where"/> listing the known ones.</summary>
    public static MethodYaml Find(string name, ConfigPosition where) =>
        All.FirstOrDefault(m => m.Name == name)
        ?? throw ConfigError.At(where, $"method must be one of {string.Join(", ", Names)}, not '{name}'{Nearest(name)}");

    /// <summary>The entry that describes <paramref name="options"/>.</summary>
    public static MethodYaml For(MethodOptions options) =>
        All.FirstOrDefault(m => m.Describes(options))
        ?? throw new InvalidOperationException($"method {options.Name} ({options.GetType().Name}) is not in {nameof(MethodCatalog)}");

    private static string Nearest(string name)
    {
        var best = Names.MinBy(n => ConfigBinder.Distance(name, n))!;
        return ConfigBinder.Distance(name, best) <= Math.Max(2, name.Length / 3) ? $"; did you mean '{best}'?" : "";
    }
}
