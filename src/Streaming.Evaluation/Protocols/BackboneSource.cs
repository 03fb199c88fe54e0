using Streaming.Training.Export;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Protocols;

/// <summary>
/// Where an evaluated feature extractor comes from: an exported run (backbone.json + backbone.safetensors) or a random
/// initialisation of the same architecture with a fixed seed (the random-init baseline). <see cref="Create"/> gives
/// a fresh copy each call, so fine-tuning one fold never leaks into the next.
/// </summary>
public sealed record BackboneSource(string Name, string? Directory, MethodOptions Architecture, long Seed)
{
    public bool IsRandom => Directory is null;

    /// <param name="readout">For a hierarchical backbone: read its raw pyramid or its trained projections instead of what
    /// backbone.json records (the weights are the same).</param>
    public static BackboneSource Pretrained(string directory, string name = "pretrained", HierarchicalReadout? readout = null)
    {
        var options = BackboneExport.ReadManifest(directory).ToMethodOptions(Path.Combine(directory, BackboneExport.ManifestFile));
        if (readout is { } r && options is HierarchicalOptions h) options = h with { Readout = r };
        return new(name, directory, options, 0);
    }

    /// <summary>A random-init twin of <paramref name="like"/> (same architecture).</summary>
    public static BackboneSource Random(BackboneSource like, long seed, string name = "random-init") => new(name, null, like.Architecture, seed);

    public static BackboneSource Random(MethodOptions architecture, long seed, string name = "random-init") => new(name, null, architecture, seed);

    public FeatureExtractor Create()
    {
        if (Directory is not null) return BackboneExport.Read(Directory, Architecture).Backbone;
        // Seed the global generator only around the construction, so the init is reproducible.
        random.manual_seed(Seed);
        return Architecture.CreateFeatures();
    }
}
