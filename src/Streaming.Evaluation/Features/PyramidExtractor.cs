using Streaming.Imaging.Volumes;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Features;

/// <summary>
/// Runs a feature extractor over a whole volume in overlapping windows and averages each level where windows overlap.
/// The volume is zero-padded (air / background after input scaling) up to a multiple of the extractor's alignment (the
/// largest stride per axis) so every window start is aligned and each level's windows tile its grid exactly.
/// </summary>
public static class PyramidExtractor
{
    public static FeaturePyramid Extract(FeatureExtractor backbone, float[] input, Int3 shape, SlidingWindow window, Device device)
    {
        window.Validate();
        if (input.LongLength != shape.Volume) throw new ArgumentException($"input has {input.LongLength} values, shape {shape} needs {shape.Volume}");
        var a = backbone.Alignment;
        var strides = backbone.Levels.Select(l => l.Stride).ToArray();
        var channels = backbone.OutputChannels;
        var padded = new Int3(RoundUp(shape.X, a.X), RoundUp(shape.Y, a.Y), RoundUp(shape.Z, a.Z));
        var w = new Int3(Math.Min(RoundUp(window.Window.X, a.X), padded.X), Math.Min(RoundUp(window.Window.Y, a.Y), padded.Y),
            Math.Min(RoundUp(window.Window.Z, a.Z), padded.Z));
        using var vol = tensor(input, [1, 1, shape.Z, shape.Y, shape.X]);
        using var pad = nn.functional.pad(vol, [0, padded.X - shape.X, 0, padded.Y - shape.Y, 0, padded.Z - shape.Z], PaddingModes.Constant, 0);
        var sums = channels.Select((c, l) => zeros([c, padded.Z / strides[l].Z, padded.Y / strides[l].Y, padded.X / strides[l].X])).ToArray();
        var counts = channels.Select((_, l) => zeros([1, padded.Z / strides[l].Z, padded.Y / strides[l].Y, padded.X / strides[l].X])).ToArray();
        try
        {
            using (no_grad())
                foreach (var z in SlidingWindow.Starts(padded.Z, w.Z, window.Overlap, a.Z))
                    foreach (var y in SlidingWindow.Starts(padded.Y, w.Y, window.Overlap, a.Y))
                        foreach (var x in SlidingWindow.Starts(padded.X, w.X, window.Overlap, a.X))
                        {
                            using var scope = NewDisposeScope();
                            var win = pad[.., .., TensorIndex.Slice(z, z + w.Z), TensorIndex.Slice(y, y + w.Y), TensorIndex.Slice(x, x + w.X)].to(device);
                            var levels = backbone.forward(win);
                            for (var l = 0; l < levels.Length; l++)
                            {
                                var f = levels[l][0].detach().to(CPU);
                                var s = strides[l];
                                Region(sums[l], z / s.Z, y / s.Y, x / s.X, f.shape).add_(f);
                                Region(counts[l], z / s.Z, y / s.Y, x / s.X, f.shape).add_(1);
                            }
                        }
            var result = new Tensor[sums.Length];
            for (var l = 0; l < sums.Length; l++) result[l] = sums[l].div_(counts[l]);
            return new FeaturePyramid(result, strides, shape, padded);
        }
        catch
        {
            foreach (var t in sums) t.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in counts) t.Dispose();
        }
    }

    private static int RoundUp(int n, int m) => (n + m - 1) / m * m;

    private static Tensor Region(Tensor t, long z, long y, long x, long[] shape) =>
        t[.., TensorIndex.Slice(z, z + shape[1]), TensorIndex.Slice(y, y + shape[2]), TensorIndex.Slice(x, x + shape[3])];
}
