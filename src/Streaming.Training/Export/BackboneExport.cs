using Streaming.Training.Methods;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Export;

/// <summary>Writes and reads the trained backbone: <c>backbone.safetensors</c> + <c>backbone.json</c>.</summary>
public static class BackboneExport
{
    public const string WeightsFile = "backbone.safetensors";
    public const string ManifestFile = "backbone.json";

    /// <summary>
    /// Parameters and buffers of the backbone with PyTorch-style dotted names relative to the backbone
    /// (e.g. <c>encoder.blocks.0.0.conv1.weight</c>, <c>encoder.blocks.0.0.norm1.running_mean</c>).
    /// </summary>
    public static void Write(string directory, MethodOptions options, DenseBackbone backbone, long step)
    {
        Directory.CreateDirectory(directory);
        var state = backbone.state_dict();
        var manifest = BackboneManifest.From(options, backbone, step);
        Safetensors.Write(Path.Combine(directory, WeightsFile), state.Select(kv => (kv.Key, kv.Value)),
            new Dictionary<string, string> { ["format"] = "pt", ["method"] = options.Method, ["step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        manifest.Save(Path.Combine(directory, ManifestFile));
    }

    /// <summary>Rebuilds the backbone described by backbone.json and loads its weights (strict: names and shapes must match).</summary>
    public static (DenseBackbone Backbone, BackboneManifest Manifest) Read(string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        var weightsPath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"no {ManifestFile} in {directory}", manifestPath);
        var manifest = BackboneManifest.Load(manifestPath);
        var backbone = MethodFactory.CreateBackbone(manifest.ToMethodOptions());
        var (tensors, _) = Safetensors.Read(weightsPath);
        try
        {
            var state = backbone.state_dict();
            var missing = state.Keys.Except(tensors.Keys).ToList();
            var extra = tensors.Keys.Except(state.Keys).ToList();
            if (missing.Count > 0 || extra.Count > 0)
                throw new InvalidDataException($"{weightsPath}: does not match {manifest.Method} backbone (missing: {string.Join(", ", missing.Take(5))}; unexpected: {string.Join(", ", extra.Take(5))})");
            using var _ = no_grad();
            foreach (var (name, t) in state)
            {
                var src = tensors[name];
                if (!src.shape.SequenceEqual(t.shape)) throw new InvalidDataException($"{weightsPath}: '{name}' has shape [{string.Join(",", src.shape)}], expected [{string.Join(",", t.shape)}]");
                t.copy_(src);
            }
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        return (backbone, manifest);
    }
}
