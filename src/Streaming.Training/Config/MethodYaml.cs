using Streaming.Shards.Specs.Yaml;
using Streaming.Training.Methods;

namespace Streaming.Training.Config;

/// <summary>A method's config sections as written (null = absent): <c>model:</c>, <c>loss:</c>, <c>sampling:</c>.</summary>
public sealed record MethodSections(ConfigNode? Model, ConfigNode? Loss, ConfigNode? Sampling);

/// <summary>
/// How one method's sections map onto its options record: <see cref="Bind"/> overlays the keys present onto the
/// record's own defaults (nullable DTOs, so no default is restated); <see cref="Describe"/> writes every value back
/// (config.yaml of a run, the resume fingerprint, backbone.json). One per method, listed in <see cref="MethodCatalog"/>.
/// </summary>
public abstract class MethodYaml
{
    /// <summary>The <c>method:</c> value.</summary>
    public abstract string Name { get; }

    /// <summary>True when <paramref name="options"/> is this entry's method (the catalog's reverse lookup).</summary>
    public virtual bool Describes(MethodOptions options) => options.Name == Name;

    public abstract MethodOptions Bind(MethodSections sections);

    public abstract MethodSections Describe(MethodOptions options);

    protected static T Section<T>(ConfigNode? node, string name) where T : class, new() => ConfigBinder.Bind<T>(node, name);

    protected static ConfigNode Node(object dto) => ConfigBinder.Describe(dto);
}
