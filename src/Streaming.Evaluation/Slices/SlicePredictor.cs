using Streaming.Imaging.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Slices;

/// <summary>
/// Whole-volume prediction with a 2-D network: every axial slice (zero-padded in-plane to the stride multiple) through
/// the network in eval mode, argmax over classes, cropped back and stacked in slice order. Returns class ids on the
/// input's grid, x fastest.
/// </summary>
public static class SlicePredictor
{
    public static byte[] Predict(SliceSegmenter net, float[] input, Int3 shape, int batch, Device device)
    {
        if (input.Length != shape.Volume) throw new ArgumentException($"input has {input.Length} voxels, shape {shape} needs {shape.Volume}");
        if (net.Classes > 256) throw new ArgumentException($"{net.Classes} classes do not fit uint8 label maps");
        net.eval();
        int m = net.UNet.Options.SizeMultiple;
        int h = SliceTensors.RoundUp(shape.Y, m), w = SliceTensors.RoundUp(shape.X, m);
        var output = new byte[shape.Volume];
        int plane = shape.X * shape.Y;
        using var _ = no_grad();
        using var all = SliceTensors.Input(input, shape, h, w);
        for (int z0 = 0; z0 < shape.Z; z0 += batch)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batch, shape.Z - z0);
            var x = all.narrow(0, z0, n).to(device);
            var labels = net.forward(x).argmax(1)
                .narrow(1, 0, shape.Y).narrow(2, 0, shape.X)
                .to(ScalarType.Byte).to(CPU).contiguous();
            labels.data<byte>().CopyTo(output.AsSpan(z0 * plane, n * plane));
        }
        return output;
    }
}
