namespace Streaming.Training.Loop;

/// <summary>Where a run keeps its files.</summary>
public sealed record RunLayout(string Root)
{
    public string ConfigFile => Path.Combine(Root, "config.yaml");
    public string Checkpoints => Path.Combine(Root, "checkpoints");
    /// <summary>Final backbone (backbone.safetensors + backbone.json) goes in the run root.</summary>
    public string BackboneDir => Root;
}
