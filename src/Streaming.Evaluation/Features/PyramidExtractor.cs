using Streaming.Ingest.Volumes;
using Streaming.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Features;

/// <summary>
/// Runs a backbone over a whole volume in overlapping windows and averages each pyramid level where windows overlap.
/// The volume is zero-padded (air / background after input scaling) up to a multiple of the largest stride so every
/// window start is stride-aligned and each level's windows tile its grid exactly.
/// </summary>
public static class PyramidExtractor
{
    public static FeaturePyramid Extract(DenseBackbone backbone, float[] input, Int3 shape, SlidingWindow window, Device device)
    {
        window.Validate();
        if (input.LongLength != shape.Volume) throw new ArgumentException($"input has {input.LongLength} values, shape {shape} needs {shape.Volume}");
        if (backbone.WholeVolume) return WholeVolume(backbone, input, shape, device);
        var stride = backbone.MaxStride;
        var channels = backbone.OutputChannels;
        var padded = new Int3(RoundUp(shape.X, stride), RoundUp(shape.Y, stride), RoundUp(shape.Z, stride));
        var w = new Int3(Math.Min(RoundUp(window.Window.X, stride), padded.X), Math.Min(RoundUp(window.Window.Y, stride), padded.Y),
            Math.Min(RoundUp(window.Window.Z, stride), padded.Z));
        using var vol = tensor(input, [1, 1, shape.Z, shape.Y, shape.X]);
        using var pad = nn.functional.pad(vol, [0, padded.X - shape.X, 0, padded.Y - shape.Y, 0, padded.Z - shape.Z], PaddingModes.Constant, 0);
        var sums = channels.Select((c, l) => zeros([c, padded.Z >> l, padded.Y >> l, padded.X >> l])).ToArray();
        var counts = channels.Select((_, l) => zeros([1, padded.Z >> l, padded.Y >> l, padded.X >> l])).ToArray();
        try
        {
            using (no_grad())
                foreach (var z in SlidingWindow.Starts(padded.Z, w.Z, window.Overlap, stride))
                    foreach (var y in SlidingWindow.Starts(padded.Y, w.Y, window.Overlap, stride))
                        foreach (var x in SlidingWindow.Starts(padded.X, w.X, window.Overlap, stride))
                        {
                            using var scope = NewDisposeScope();
                            var win = pad[.., .., TensorIndex.Slice(z, z + w.Z), TensorIndex.Slice(y, y + w.Y), TensorIndex.Slice(x, x + w.X)].to(device);
                            var levels = backbone.forward(win);
                            for (var l = 0; l < levels.Length; l++)
                            {
                                var f = levels[l][0].detach().to(CPU);
                                Region(sums[l], z >> l, y >> l, x >> l, f.shape).add_(f);
                                Region(counts[l], z >> l, y >> l, x >> l, f.shape).add_(1);
                            }
                        }
            var result = new Tensor[sums.Length];
            for (var l = 0; l < sums.Length; l++) result[l] = sums[l].div_(counts[l]);
            return new FeaturePyramid(result, shape, padded);
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

    /// <summary>Extractors normalised to the whole volume (context descriptors): one forward on the unpadded volume.</summary>
    private static FeaturePyramid WholeVolume(DenseBackbone backbone, float[] input, Int3 shape, Device device)
    {
        using var _ = no_grad();
        using var vol = tensor(input, [1, 1, shape.Z, shape.Y, shape.X]);
        using var onDevice = vol.to(device);
        var levels = backbone.forward(onDevice);
        var result = levels.Select(l => { var c = l[0].detach().to(CPU); l.Dispose(); return c; }).ToArray();
        return new FeaturePyramid(result, shape, shape, backbone.LevelStrides);
    }

    private static int RoundUp(int n, int m) => (n + m - 1) / m * m;

    private static Tensor Region(Tensor t, long z, long y, long x, long[] shape) =>
        t[.., TensorIndex.Slice(z, z + shape[1]), TensorIndex.Slice(y, y + shape[2]), TensorIndex.Slice(x, x + shape[3])];
}
