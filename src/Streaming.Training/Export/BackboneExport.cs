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
    public const string PickleFile = "backbone.pt";

    /// <summary>
    /// The same state_dict as a PyTorch pickle (<c>torch.load("backbone.pt")</c>, then <c>load_state_dict</c>), written by
    /// TorchSharp.PyBridge's <c>save_py</c> to a temp name and renamed, so a reader never sees half a file.
    /// </summary>
    public static string WritePickle(string directory, FeatureExtractor features)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, PickleFile);
        var tmp = path + ".tmp";
        try
        {
            TorchSharp.PyBridge.PyBridgeModuleExtensions.save_py(features, tmp);
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
        return path;
    }

    /// <summary>
    /// Parameters and buffers of the feature extractor with PyTorch-style dotted names relative to it
    /// (e.g. <c>encoder.blocks.0.0.conv1.weight</c>, <c>encoder.blocks.0.0.norm1.running_mean</c>), then the manifest.
    /// </summary>
    public static void Write(string directory, FeatureExtractor features, BackboneManifest manifest)
    {
        Directory.CreateDirectory(directory);
        var state = features.state_dict();
        Safetensors.Write(Path.Combine(directory, WeightsFile), state.Select(kv => (kv.Key, kv.Value)),
            new Dictionary<string, string> { ["format"] = "pt", ["method"] = manifest.Method, ["step"] = manifest.Step.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        manifest.Save(Path.Combine(directory, ManifestFile));
    }

    /// <summary>The manifest of an exported model (a run directory or any folder holding backbone.json).</summary>
    public static BackboneManifest ReadManifest(string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"{directory}: no {ManifestFile} (not an exported model; is the run complete?)", manifestPath);
        return BackboneManifest.Load(manifestPath);
    }

    /// <summary>
    /// Rebuilds the feature extractor described by backbone.json and loads its weights (strict: names and shapes must
    /// match). <paramref name="architecture"/>, when given, replaces the recorded options: the same weights read out
    /// another way (a hierarchical backbone's projections instead of its raw pyramid).
    /// </summary>
    public static (FeatureExtractor Backbone, BackboneManifest Manifest) Read(string directory, MethodOptions? architecture = null)
    {
        var weightsPath = Path.Combine(directory, WeightsFile);
        var manifest = ReadManifest(directory);
        var backbone = (architecture ?? manifest.ToMethodOptions(Path.Combine(directory, ManifestFile))).CreateFeatures();
        if (architecture is null && !backbone.Levels.SequenceEqual(manifest.Levels))
        {
            backbone.Dispose();
            throw new InvalidDataException($"{Path.Combine(directory, ManifestFile)}: the rebuilt {manifest.Method} extractor has levels other than the recorded ones");
        }
        Dictionary<string, Tensor> tensors = [];
        try
        {
            tensors = Safetensors.Read(weightsPath).Tensors;
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
