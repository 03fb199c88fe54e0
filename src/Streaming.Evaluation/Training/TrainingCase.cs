using Streaming.Imaging.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Evaluation.Training;

/// <summary>A labeled volume zero-padded to a stride multiple, as tensors, with its patch sampler.</summary>
internal sealed class TrainingCase : IDisposable
{
    public TrainingCase(Volume<byte> labels, Int3 padded, double foregroundFraction, float[]? input = null)
    {
        var s = labels.Shape;
        Padded = padded;
        Sampler = new PatchSampler(labels.Data, s, padded, foregroundFraction);
        using var l = tensor(labels.Data, [s.Z, s.Y, s.X]);
        using var l64 = l.to(ScalarType.Int64);
        Labels = nn.functional.pad(l64.unsqueeze(0), [0, padded.X - s.X, 0, padded.Y - s.Y, 0, padded.Z - s.Z], PaddingModes.Constant, 0)[0];
        if (input is not null)
        {
            using var v = tensor(input, [1, s.Z, s.Y, s.X]);
            Input = nn.functional.pad(v, [0, padded.X - s.X, 0, padded.Y - s.Y, 0, padded.Z - s.Z], PaddingModes.Constant, 0);
        }
    }

    public Int3 Padded { get; }
    public PatchSampler Sampler { get; }
    /// <summary>(Zp, Yp, Xp) int64.</summary>
    public Tensor Labels { get; }
    /// <summary>(1, Zp, Yp, Xp) float, end-to-end training only.</summary>
    public Tensor? Input { get; }

    public static Tensor Crop(Tensor t, Int3 o, Int3 size) =>
        t[TensorIndex.Ellipsis, TensorIndex.Slice(o.Z, o.Z + size.Z), TensorIndex.Slice(o.Y, o.Y + size.Y), TensorIndex.Slice(o.X, o.X + size.X)];

    /// <summary>The patch size actually used: the requested one rounded down to the stride (per axis) and capped by every case.</summary>
    public static Int3 FitPatch(Int3 requested, Int3 stride, IEnumerable<Int3> paddedShapes)
    {
        var p = new Int3(Math.Max(stride.X, requested.X / stride.X * stride.X), Math.Max(stride.Y, requested.Y / stride.Y * stride.Y),
            Math.Max(stride.Z, requested.Z / stride.Z * stride.Z));
        foreach (var s in paddedShapes) p = Int3.Min(p, s);
        return p;
    }

    public void Dispose()
    {
        Labels.Dispose();
        Input?.Dispose();
    }
}
