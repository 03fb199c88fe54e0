using Streaming.Evaluation.Features;
using Streaming.Imaging.Volumes;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Supervised;

/// <summary>
/// Inference of the supervised protocols: the U-Net alone (the feature layers are training-only). The volume is
/// zero-padded to the U-Net's input multiple; it runs whole when it fits <c>window</c> (or no window is given), else
/// in overlapping windows whose softmax probabilities are averaged. Returns class ids on the input grid, x fastest.
/// </summary>
public static class UNetSegmenter
{
    public static byte[] Predict(CicekUNet3d net, float[] input, Int3 shape, SlidingWindow? window, Device device)
    {
        if (input.LongLength != shape.Volume) throw new ArgumentException($"input has {input.LongLength} values, shape {shape} needs {shape.Volume}");
        if (net.Options.Classes > 256) throw new ArgumentException($"{net.Options.Classes} classes do not fit uint8 label maps");
        net.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var m = net.Options.InputMultiple;
        var padded = new Int3(RoundUp(shape.X, m), RoundUp(shape.Y, m), RoundUp(shape.Z, m));
        var volume = nn.functional.pad(tensor(input, [1, 1, shape.Z, shape.Y, shape.X]),
            [0, padded.X - shape.X, 0, padded.Y - shape.Y, 0, padded.Z - shape.Z], PaddingModes.Constant, 0).to(device);
        Tensor labels;
        var w = window is null ? padded : new Int3(Math.Min(RoundUp(window.Window.X, m), padded.X),
            Math.Min(RoundUp(window.Window.Y, m), padded.Y), Math.Min(RoundUp(window.Window.Z, m), padded.Z));
        if (w == padded) labels = net.Logits(volume).argmax(1)[0];
        else
        {
            var sums = zeros([net.Options.Classes, padded.Z, padded.Y, padded.X], device: device);
            var counts = zeros([1, padded.Z, padded.Y, padded.X], device: device);
            foreach (var z in SlidingWindow.Starts(padded.Z, w.Z, window!.Overlap, m))
                foreach (var y in SlidingWindow.Starts(padded.Y, w.Y, window.Overlap, m))
                    foreach (var x in SlidingWindow.Starts(padded.X, w.X, window.Overlap, m))
                    {
                        using var inner = NewDisposeScope();
                        var crop = volume[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(z, z + w.Z), TensorIndex.Slice(y, y + w.Y), TensorIndex.Slice(x, x + w.X)];
                        var probs = nn.functional.softmax(net.Logits(crop), 1)[0];
                        var region = (TensorIndex.Slice(z, z + w.Z), TensorIndex.Slice(y, y + w.Y), TensorIndex.Slice(x, x + w.X));
                        sums[TensorIndex.Colon, region.Item1, region.Item2, region.Item3].add_(probs, Scalars.One);
                        counts[TensorIndex.Colon, region.Item1, region.Item2, region.Item3].add_(Scalars.One);
                    }
            labels = sums.div(counts).argmax(0);
        }
        var cropped = labels[TensorIndex.Slice(0, shape.Z), TensorIndex.Slice(0, shape.Y), TensorIndex.Slice(0, shape.X)].to(ScalarType.Byte).to(CPU).contiguous();
        return cropped.data<byte>().ToArray();
    }

    private static int RoundUp(int v, int m) => (v + m - 1) / m * m;
}
