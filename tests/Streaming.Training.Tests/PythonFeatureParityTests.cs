using System.Text.Json;
using Xunit.Abstractions;
using Streaming.Tests;
using Streaming.Training.Export;
using Streaming.Training.Methods;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Training.Tests;

/// <summary>
/// The same exported backbone gives the same features in C# (TorchSharp) and in PyTorch (python/streaming_bridge):
/// random weights and random normalisation statistics, so a swapped or renamed tensor cannot go unnoticed, loaded in
/// Python from backbone.json + backbone.safetensors with load_state_dict(strict=True).
/// </summary>
public class PythonFeatureParityTests(ITestOutputHelper output)
{
    private static readonly (string Method, NormKind Norm)[] Cases =
        [("vox2vec", NormKind.Batch), ("hierarchical", NormKind.Group), ("hierarchical", NormKind.Batch), ("vox2vec-unet", NormKind.Batch)];

    // One Python run checks every case: importing torch costs ~2 CPU-seconds per process.
    [PythonFact("numpy", "torch")]
    public void Exported_backbones_give_the_same_features_in_PyTorch()
    {
        using var dir = new TempDir();
        var folders = Cases.Select((c, i) => Export(dir.Path($"{i}-{c.Method}-{c.Norm}"), c.Method, c.Norm)).ToArray();

        var (exit, stdout, stderr) = PythonBridge.RunScript("tests/parity/check_features.py", folders);
        output.WriteLine(stdout);
        Assert.True(exit == 0, $"check_features.py exited {exit}\n{stdout}\n{stderr}");
        var results = stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(Cases.Length, results.Length);
        for (var i = 0; i < Cases.Length; i++)
        {
            var r = results[i];
            Assert.Equal(Cases[i].Method, r.GetProperty("method").GetString());
            Assert.Equal(3, r.GetProperty("levels").GetInt32());
            Assert.True(r.GetProperty("normalisationChecked").GetBoolean(), $"{Cases[i]}: norm parameters not loaded");
            foreach (var level in r.GetProperty("maxAbsDiff").EnumerateArray())
                Assert.InRange(level.GetDouble(), 0, 1e-4);

            // And back: PyTorch's state_dict(), written by the bridge, loads strictly here with the same values.
            var (fromPython, _) = BackboneExport.Read(Path.Combine(folders[i], "from-python"));
            using (fromPython)
            {
                var (original, _) = Safetensors.Read(Path.Combine(folders[i], BackboneExport.WeightsFile));
                var state = fromPython.state_dict();
                Assert.Equal(original.Keys.Order(), state.Keys.Order());
                foreach (var (name, t) in original)
                {
                    Assert.True(t.equal(state[name]).all().item<bool>(), $"{Cases[i]}: {name} differs after the round trip");
                    t.Dispose();
                }
            }
        }
    }

    /// <summary>Exports a random backbone to <paramref name="folder"/> with an input and C#'s eval-mode pyramid for it.</summary>
    private static string Export(string folder, string method, NormKind norm)
    {
        var b = new BackboneOptions { BaseChannels = 4, Levels = 3, BlocksPerLevel = 2, Norm = norm };
        MethodOptions o = method switch
        {
            "vox2vec" => new Vox2VecOptions { Backbone = b },
            "vox2vec-unet" => new Vox2VecOptions { Backbone = b, Decoder = Vox2VecDecoder.UNet },
            "hierarchical" => new HierarchicalOptions { Backbone = b, LevelProjectionWidth = 3 },
            _ => throw new ArgumentException(method),
        };
        manual_seed(17);
        using var backbone = o.CreateFeatures();
        RandomizeNormalisation(backbone);
        backbone.eval();
        BackboneExport.Write(folder, backbone, BackboneManifest.Create(o, backbone, 9, null));

        // Extents are multiples of the coarsest stride (4): the feature extractors refuse others (FeatureExtractor.CheckInput).
        long[] shape = [2, 1, 12, 16, 8];
        using var x = rand(shape);
        Npy.Write(Path.Combine(folder, "input.npy"), x.data<float>().ToArray(), shape);
        using var _ = no_grad();
        var pyramid = backbone.forward(x);
        Assert.Equal(3, pyramid.Length);
        for (var l = 0; l < pyramid.Length; l++)
        {
            Npy.Write(Path.Combine(folder, $"level{l}.npy"), pyramid[l].data<float>().ToArray(), pyramid[l].shape);
            pyramid[l].Dispose();
        }
        return folder;
    }

    /// <summary>Non-trivial norm weights, biases and running statistics (fresh ones are 1, 0, 0 and 1).</summary>
    private static void RandomizeNormalisation(FeatureExtractor b)
    {
        using var _ = no_grad();
        foreach (var (name, t) in b.state_dict())
        {
            if (!name.Contains(".norm")) continue;
            if (name.EndsWith(".weight") || name.EndsWith(".running_var")) t.copy_(rand(t.shape) + 0.5);
            else if (name.EndsWith(".bias") || name.EndsWith(".running_mean")) t.copy_(randn(t.shape) * 0.2);
        }
    }
}
