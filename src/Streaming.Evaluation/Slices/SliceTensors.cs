using Streaming.Imaging.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Slices;

/// <summary>A volume's axial slices as tensors, zero-padded in-plane to a common size (a multiple of the U-Net's stride).</summary>
internal static class SliceTensors
{
    /// <summary>The smallest (height, width) that holds every shape and is a multiple of <paramref name="multiple"/>.</summary>
    public static (int H, int W) CommonPlane(IEnumerable<Int3> shapes, int multiple)
    {
        int h = 0, w = 0;
        foreach (var s in shapes) { h = Math.Max(h, s.Y); w = Math.Max(w, s.X); }
        return (RoundUp(h, multiple), RoundUp(w, multiple));
    }

    /// <summary>(Z, 1, H, W) float32, the volume at the top-left of each padded slice.</summary>
    public static Tensor Input(float[] data, Int3 shape, int h, int w)
    {
        using var t = tensor(data, [shape.Z, 1, shape.Y, shape.X]);
        return nn.functional.pad(t, [0, w - shape.X, 0, h - shape.Y], PaddingModes.Constant, 0);
    }

    /// <summary>(Z, H, W) int64 class ids, padding = background.</summary>
    public static Tensor Labels(byte[] data, Int3 shape, int h, int w)
    {
        using var t = tensor(data, [shape.Z, shape.Y, shape.X]);
        using var l = t.to(ScalarType.Int64);
        return nn.functional.pad(l, [0, w - shape.X, 0, h - shape.Y], PaddingModes.Constant, 0);
    }

    public static int RoundUp(int v, int m) => (v + m - 1) / m * m;
}
