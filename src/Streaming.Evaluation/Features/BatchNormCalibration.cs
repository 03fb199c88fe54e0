using Streaming.Imaging.Volumes;
using Streaming.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Features;

/// <summary>
/// Data-dependent BatchNorm statistics for a randomly initialised backbone. Fresh BatchNorm layers hold mean 0 and
/// variance 1, so in eval mode a random network's deeper levels come out badly scaled (near-constant or exploding), which
/// handicaps the random-init baseline for reasons that have nothing to do with pre-training. Before its features are
/// extracted, the random backbone runs forward once per volume on a central window in train mode (no gradients), with
/// a cumulative average (momentum = null), so its running statistics are the images' own. Images only, no labels.
/// </summary>
public static class BatchNormCalibration
{
    /// <summary>Re-estimates every BatchNorm's running statistics from <paramref name="volumes"/>; returns how many layers it set (0 = none to set).</summary>
    public static int Calibrate(FeatureExtractor backbone, IEnumerable<(float[] Input, Int3 Shape)> volumes, SlidingWindow window, Device device)
    {
        var norms = backbone.modules().OfType<BatchNorm3d>().ToList();
        if (norms.Count == 0) return 0;
        var momenta = norms.Select(n => n.momentum).ToList();
        foreach (var n in norms) { n.reset_running_stats(); n.momentum = null; }
        var a = backbone.Alignment;
        var seen = 0;
        try
        {
            backbone.train();
            using var _ = no_grad();
            foreach (var (input, shape) in volumes)
            {
                using var scope = NewDisposeScope();
                var w = new Int3(Fit(window.Window.X, shape.X, a.X), Fit(window.Window.Y, shape.Y, a.Y), Fit(window.Window.Z, shape.Z, a.Z));
                var o = new Int3(Math.Max(0, (shape.X - w.X) / 2), Math.Max(0, (shape.Y - w.Y) / 2), Math.Max(0, (shape.Z - w.Z) / 2));
                var vol = tensor(input, [1, 1, shape.Z, shape.Y, shape.X]);
                var crop = vol[.., .., TensorIndex.Slice(o.Z, Math.Min(shape.Z, o.Z + w.Z)), TensorIndex.Slice(o.Y, Math.Min(shape.Y, o.Y + w.Y)),
                    TensorIndex.Slice(o.X, Math.Min(shape.X, o.X + w.X))];
                // A volume smaller than the window is zero-padded (background after input scaling), as the extractor does.
                var x = nn.functional.pad(crop, [0, w.X - crop.shape[4], 0, w.Y - crop.shape[3], 0, w.Z - crop.shape[2]], PaddingModes.Constant, 0);
                backbone.forward(x.to(device));
                seen++;
            }
        }
        finally
        {
            backbone.eval();
            for (var i = 0; i < norms.Count; i++) norms[i].momentum = momenta[i];
        }
        if (seen == 0) throw new ArgumentException("BatchNorm calibration needs at least one volume");
        return norms.Count;
    }

    /// <summary>The window extent on one axis: the requested one, no larger than the volume, a multiple of the alignment.</summary>
    private static int Fit(int window, int extent, int align) => Math.Max(align, Math.Min(window, extent) / align * align);
}
