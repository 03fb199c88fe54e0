using Streaming.Training.Export;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Slices;

/// <summary>
/// Where a fine-tuned U-Net starts: every arm builds the same network from the same seed (so decoders and
/// classifiers start identical), then a pre-trained arm overwrites the encoder with the exported one (SAL and PCL
/// pre-train only the encoder, as in the paper). <see cref="Create"/> gives a fresh copy each call.
/// </summary>
public sealed record SliceInit(string Name, string? WeightsPath)
{
    public static SliceInit Random(string name = "random-init") => new(name, null);

    /// <summary>An exported run: <c>backbone.safetensors</c> in <paramref name="directory"/>.</summary>
    public static SliceInit Pretrained(string directory, string name) =>
        new(name, Path.Combine(directory, BackboneExport.WeightsFile));

    public bool IsRandom => WeightsPath is null;

    public SliceSegmenter Create(UNet2dOptions model, int classes, long seed)
    {
        random.manual_seed(seed);
        var net = new SliceSegmenter(model, classes);
        if (WeightsPath is null) return net;
        try
        {
            LoadEncoder(net.UNet, WeightsPath);
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>Copies every <c>encoder.*</c> parameter and buffer; names and shapes must match exactly.</summary>
    internal static void LoadEncoder(UNet2d unet, string weightsPath)
    {
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"{weightsPath}: no exported weights", weightsPath);
        var (tensors, _) = Safetensors.Read(weightsPath);
        try
        {
            var state = unet.state_dict().Where(kv => kv.Key.StartsWith("encoder.", StringComparison.Ordinal)).ToList();
            var missing = state.Select(kv => kv.Key).Where(k => !tensors.ContainsKey(k)).ToList();
            if (missing.Count > 0)
                throw new InvalidDataException($"{weightsPath}: not a 2-D U-Net encoder of this shape (missing {string.Join(", ", missing.Take(5))})");
            using var _ = no_grad();
            foreach (var (name, t) in state)
            {
                var src = tensors[name];
                if (!src.shape.SequenceEqual(t.shape))
                    throw new InvalidDataException($"{weightsPath}: '{name}' has shape [{string.Join(",", src.shape)}], expected [{string.Join(",", t.shape)}] (model.widths differ?)");
                t.copy_(src);
            }
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
