using TorchSharp;
using static TorchSharp.torch;

namespace Streaming.Training.Models;

/// <summary>Creates normalisation layers with explicit affine init.</summary>
internal static class Norms
{
    /// <summary>
    /// A 3D normalisation layer over <paramref name="channels"/>. TorchSharp's GroupNorm starts with uninitialised
    /// weight/bias memory, so both kinds get weight = 1, bias = 0 here (PyTorch's defaults).
    /// </summary>
    public static nn.Module<Tensor, Tensor> Create3d(NormKind kind, long channels)
    {
        nn.Module<Tensor, Tensor> m = kind switch
        {
            NormKind.Batch => nn.BatchNorm3d(channels),
            NormKind.Group => nn.GroupNorm(Groups(channels), channels),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        ResetAffine(m);
        return m;
    }

    /// <summary>The 2-D twin of <see cref="Create3d"/> (same explicit affine init).</summary>
    public static nn.Module<Tensor, Tensor> Create2d(NormKind kind, long channels)
    {
        nn.Module<Tensor, Tensor> m = kind switch
        {
            NormKind.Batch => nn.BatchNorm2d(channels),
            NormKind.Group => nn.GroupNorm(Groups(channels), channels),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        ResetAffine(m);
        return m;
    }

    public static nn.Module<Tensor, Tensor> BatchNorm1d(long features)
    {
        var m = nn.BatchNorm1d(features);
        ResetAffine(m);
        return m;
    }

    /// <summary>Largest of 8, 4, 2, 1 groups that divides the channel count.</summary>
    public static long Groups(long channels) => new long[] { 8, 4, 2, 1 }.First(g => channels % g == 0);

    private static void ResetAffine(nn.Module m)
    {
        using var _ = no_grad();
        foreach (var (name, p) in m.named_parameters())
        {
            if (name == "weight") p.fill_(1.0);
            else if (name == "bias") p.zero_();
        }
    }
}
