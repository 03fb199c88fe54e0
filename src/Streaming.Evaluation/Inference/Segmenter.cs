using Streaming.Evaluation.Features;
using Streaming.Evaluation.Heads;
using Streaming.Imaging.Volumes;
using Streaming.Training.Models;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Inference;

/// <summary>
/// Whole-volume prediction: the backbone's pyramid by overlapping sliding windows (averaged), the head over the
/// whole pyramid, argmax, cropped back to the volume. Returns class ids on the input's grid, x fastest.
/// </summary>
public static class Segmenter
{
    public static byte[] Predict(FeatureExtractor backbone, SegmentationHead head, float[] input, Int3 shape, SlidingWindow window, Device device)
    {
        backbone.eval();
        using var pyramid = PyramidExtractor.Extract(backbone, input, shape, window, device);
        return Predict(head, pyramid, device);
    }

    public static byte[] Predict(SegmentationHead head, FeaturePyramid pyramid, Device device)
    {
        if (head.Classes > 256) throw new ArgumentException($"{head.Classes} classes do not fit uint8 label maps");
        head.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var levels = pyramid.Levels.Select(t => t.unsqueeze(0).to(device)).ToArray();
        var labels = head.forward(levels).argmax(1)[0];
        var s = pyramid.Shape;
        var cropped = labels[TensorIndex.Slice(0, s.Z), TensorIndex.Slice(0, s.Y), TensorIndex.Slice(0, s.X)].to(ScalarType.Byte).to(CPU).contiguous();
        return cropped.data<byte>().ToArray();
    }
}
